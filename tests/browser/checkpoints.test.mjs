// The checkpoints screen on a desktop: community1 creates a checkpoint over its community (a
// form without a name is refused naming the field), binds volunteer1 as its duty staff (a
// registrar is refused by the server, shown), and volunteer1 then finds that checkpoint in the
// gate screen's picker.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('checkpoints');
const COMMUNITY = '370212001001';

h.test('community1 creates a checkpoint, binds volunteer1, and volunteer1 has it at the gate', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/checkpoints');
	await page.click('[data-test=cp-new]');
	await page.fill('[data-test=cp-code]', 'CP-DESK-1');
	await page.fill('[data-test=cp-area]', COMMUNITY);
	await page.click('[data-test=cp-save]');
	await page.waitForSelector('[data-test=cp-error]');
	assert.match(await page.innerText('[data-test=cp-error]'), /name/);

	await page.fill('[data-test=cp-name]', '李村东门');
	await page.click('text=道口');
	await page.click('[data-test=cp-save]');
	await page.waitForSelector('[data-test=cp-detail]');
	const row = page.locator('[data-test=cps-table] .el-table__row', { hasText: 'CP-DESK-1' });
	assert.match(await row.innerText(), /李村东门[\s\S]*道口[\s\S]*370212001001/);

	await page.fill('[data-test=cp-staff]', 'registrar1');
	await page.click('[data-test=cp-staff-save]');
	await page.waitForSelector('[data-test=cp-detail-error]');
	assert.match(await page.innerText('[data-test=cp-detail-error]'), /registrar1/);
	assert.equal(await page.locator('[data-test=cp-staff-tag]').count(), 0, 'nothing bound on a refusal');

	await page.fill('[data-test=cp-staff]', 'volunteer1');
	await page.click('[data-test=cp-staff-save]');
	await page.waitForSelector('[data-test=cp-staff-tag]');
	assert.match(await page.innerText('[data-test=cp-staff-tag]'), /volunteer1/);
	await page.waitForFunction(() => /volunteer1/.test(document.querySelector('[data-test=cps-table] .el-table__row')?.innerText || ''));

	const context = await h.browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
	try {
		const phone = await context.newPage();
		await h.login(phone, 'volunteer1');
		await phone.goto(h.base + '/gates');
		await phone.waitForSelector('[data-test=gate-checkpoint] option:not([value=""])', { state: 'attached' });
		const options = await phone.locator('[data-test=gate-checkpoint] option').allInnerTexts();
		assert.ok(options.some((o) => o.includes('李村东门') && o.includes('CP-DESK-1')), `picker: ${options.join(' | ')}`);
	} finally {
		await context.close();
	}
});
