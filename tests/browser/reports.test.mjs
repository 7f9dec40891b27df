// The daily report and the export menus in a browser. The commander opens the daily report on
// its district (a row per street under the district's total), drills into a street, and
// downloads the XLSX; community staff export the residents of a grid as CSV from the residents
// screen, the file the server streams, with their ID numbers in full; an admin's unmasked
// export asks for a reason first; the print button leaves the menus out of the page printed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('reports');
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

h.test('the commander reads the district\'s report, drills into a street and downloads the XLSX', async (page) => {
	await h.login(page, 'commander');
	await page.click('.el-menu-item:has-text("每日简报")');
	await page.waitForSelector('[data-test=report-table] .el-table__row');
	assert.match(await page.textContent('[data-test=daily-report] h2'), new RegExp(`崂山区 · ${TODAY}`));
	const rows = await page.locator('[data-test=report-table] .el-table__body-wrapper .el-table__row').count();
	assert.equal(rows, 5, 'the district, then its four streets');
	assert.equal(await page.textContent('[data-test=report-370212-tested]'), '0');
	const street = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/daily');
	await page.click('[data-test=report-child-370212001]');
	const body = await (await street).json();
	assert.equal(body.area.code, '370212001');
	await page.waitForSelector('[data-test=report-child-370212001001]');
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=report-xlsx]')]);
	assert.equal(download.suggestedFilename(), `daily-report-370212001-${TODAY}.xlsx`);
	const bytes = fs.readFileSync(await download.path());
	assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.isVisible('.el-menu-item:has-text("每日简报")'), false, 'no menu on paper');
	assert.equal(await page.isVisible('[data-test=report-load]'), false, 'no form on paper');
	assert.ok(await page.isVisible('[data-test=report-table]'));
});

h.test('community staff export a grid\'s residents as CSV from the residents screen', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/people');
	await page.fill('[data-test=people-area]', '370212001001G01');
	await page.click('[data-test=export-residents-button]');
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.click('[data-test=export-residents-csv]')]);
	assert.match(download.suggestedFilename(), /^residents-370212001001G01-\d{8}\.csv$/);
	const text = fs.readFileSync(await download.path(), 'utf8');
	const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
	assert.match(lines[0], /^编号,姓名,证件类型,证件号码,手机号/);
	assert.ok(lines.length > 1, 'the grid has residents');
	assert.match(lines[1].split(',')[3], /^\d{17}[\dX]$/, 'community staff see ID numbers in full');
});

h.test('an admin\'s unmasked export asks for a reason first', async (page) => {
	await h.login(page, 'admin');
	await page.goto(h.base + '/people');
	await page.click('[data-test=export-residents-button]');
	await page.click('[data-test=export-residents-unmask]');
	await page.waitForSelector('.el-message-box');
	await page.click('.el-message-box button.el-button--primary');
	assert.ok(await page.isVisible('.el-message-box__errormsg'), 'no reason: refused in the box');
	await page.fill('.el-message-box input', '疾控核查');
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.click('.el-message-box button.el-button--primary')]);
	const text = fs.readFileSync(await download.path(), 'utf8');
	assert.match(text.split('\r\n')[1].split(',')[3], /^\d{17}[\dX]$/, 'unmasked');
});

h.test('the commander\'s export menu has no unmasked choice', async (page) => {
	await h.login(page, 'commander');
	await page.goto(h.base + '/people');
	await page.click('[data-test=export-residents-button]');
	await page.waitForSelector('[data-test=export-residents-csv]');
	assert.equal(await page.locator('[data-test=export-residents-unmask]').count(), 0);
});
