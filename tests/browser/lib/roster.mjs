// roster: the roster screen's shift form as a person fills it (duty and workforce tests): the
// place picked, the worker picked by name, start and end typed into the date pickers in the
// page's own time zone.

/* "YYYY-MM-DD HH:mm:ss" of epoch ms in the page's own time zone, as the date picker reads it. */
function local(page, ms) {
	return page.evaluate((t) => {
		const d = new Date(t);
		const p = (n) => String(n).padStart(2, '0');
		return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:00`;
	}, ms);
}

async function typeTime(page, name, ms) {
	const input = page.locator(`input[data-test=${name}], [data-test=${name}] input`).first();
	await input.fill(await local(page, ms));
	await input.press('Enter');
}

/* Opens the roster page and picks the place named placeName. */
export async function openRoster(page, base, placeName) {
	await page.goto(base + '/duty/roster');
	await page.click('[data-test=roster-place]');
	await page.click(`.el-select-dropdown__item >> text=${placeName}`);
}

/* Fills and saves the add-shift form of the open roster for workerName, from..to (epoch ms). */
export async function addShift(page, workerName, from, to) {
	await page.click('[data-test=roster-add]');
	await page.click('[data-test=shift-worker]');
	await page.click(`.el-select-dropdown__item >> text=${workerName}`);
	await typeTime(page, 'shift-starts', from);
	await typeTime(page, 'shift-ends', to);
	await page.click('[data-test=shift-save]');
}
