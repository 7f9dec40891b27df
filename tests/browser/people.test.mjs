// Residents screens: search and page, open one (masked fields), edit it, import a CSV with bad
// rows and read the error table, switch language, and work at phone width.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';
import { makeId, badCheckId } from '../api/lib/harness.mjs';

const h = browserHarness('people');

h.test('the district pages through residents 50 at a time', async (page) => {
	await h.login(page, 'admin');
	await page.click('text=居民');
	await page.waitForSelector('[data-test=people-table] .el-table__row');
	assert.equal(await page.locator('[data-test=people-table] .el-table__row').count(), 50);
	await page.click('[data-test=people-more]');
	await page.waitForFunction(() => document.querySelectorAll('[data-test=people-table] .el-table__row').length === 100);
});

h.test('community staff opens a resident with the ID unmasked', async (page) => {
	await h.login(page, 'community1');
	await page.click('text=居民');
	await page.locator('[data-test=people-table] .el-table__row').first().click();
	await page.waitForSelector('[data-test=id-number]');
	assert.match(await page.textContent('[data-test=id-number]'), /^\d{17}[\dX]$/);
});

h.test('a grid worker sees the ID masked and the phone in full', async (page) => {
	await h.login(page, 'grid1');
	await page.goto(h.base + '/people');
	await page.locator('[data-test=people-table] .el-table__row').first().click();
	await page.waitForSelector('[data-test=id-number]');
	assert.match(await page.textContent('[data-test=id-number]'), /\*{8}/);
	assert.match(await page.textContent('[data-test=phone]'), /^1\d{10}$/);
	assert.ok(await page.isVisible('text=查看居民信息会被记录'));
});

h.test('editing a resident saves and shows the change', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/people');
	await page.locator('[data-test=people-table] .el-table__row').nth(3).click();
	await page.click('[data-test=edit]');
	const note = '需每日电话随访 ' + Date.now();
	await page.fill('[data-test=edit-note]', note);
	await page.click('[data-test=edit-save]');
	await page.waitForSelector('[data-test=note]');
	assert.equal(await page.textContent('[data-test=note]'), note);
	await page.reload();
	await page.waitForSelector('[data-test=note]');
	assert.equal(await page.textContent('[data-test=note]'), note);
});

h.test('an invalid phone is refused with a message naming it', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/people');
	await page.locator('[data-test=people-table] .el-table__row').first().click();
	await page.click('[data-test=edit]');
	await page.fill('[data-test=edit-phone]', '12345');
	await page.click('[data-test=edit-save]');
	await page.waitForSelector('[data-test=edit-error]');
	assert.match(await page.textContent('[data-test=edit-error]'), /phone/);
});

h.test('a CSV import with bad rows shows counts and the error table', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/people/import');
	const csv = '姓名,身份证号,手机号,楼栋\n' +
		`赵一,${makeId('19800101', 11)},13900000011,370212001001G01B02\n` +
		`钱二,${badCheckId('19800101', 21)},13900000012,370212001001G01B02\n` +
		`孙三,${makeId('19800101', 31)},1234,370212001001G01B02\n` +
		`李四,${makeId('19800101', 41)},13900000014,370212001001G01B02\n`;
	await page.setInputFiles('[data-test=import-file]', { name: 'residents.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.click('[data-test=import-run]');
	await page.waitForSelector('[data-test=import-report]');
	assert.equal(await page.textContent('[data-test=n-total]'), '4');
	assert.equal(await page.textContent('[data-test=n-created]'), '2');
	assert.equal(await page.textContent('[data-test=n-failed]'), '2');
	const rows = await page.locator('[data-test=import-errors] .el-table__row').allInnerTexts();
	assert.equal(rows.length, 2);
	assert.match(rows[0], /^3\s/);
	assert.match(rows[0], /id_number/);
	assert.match(rows[1], /^4\s/);
	assert.match(rows[1], /phone/);
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=import-download]')]);
	assert.equal(download.suggestedFilename(), 'import-errors.csv');
});

h.test('switching to English changes the screens and is remembered', async (page) => {
	await page.goto(h.base + '/login');
	await page.selectOption('[data-test=lang]', 'en');
	assert.ok(await page.isVisible('text=Username'));
	await h.login(page, 'admin');
	assert.ok(await page.isVisible('.el-menu-item:has-text("Users and roles")'));
	await page.reload();
	await page.waitForSelector('[data-test=logout]');
	assert.ok(await page.isVisible('.el-menu-item:has-text("Residents")'));
});

h.test('at 375 px a grid worker gets the phone layout without sideways scrolling', async (page) => {
	await h.login(page, 'grid1');
	await page.goto(h.base + '/people');
	await page.waitForSelector('[data-test=people-list] .card');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
	assert.ok(await page.isVisible('.van-tabbar'));
}, { width: 375, height: 740 });

h.test('the login form is usable with the keyboard alone', async (page) => {
	await page.goto(h.base + '/login');
	await page.focus('#username');
	await page.keyboard.type('admin');
	await page.keyboard.press('Tab');
	await page.keyboard.type('Demo-pass-1');
	await page.keyboard.press('Enter');
	await page.waitForSelector('[data-test=logout]');
});

h.test('an XLSX import is read in the browser and reports its bad row', async (page) => {
	await h.login(page, 'community1');
	await page.goto(h.base + '/people/import');
	await page.setInputFiles('[data-test=import-file]', new URL('./fixtures/residents.xlsx', import.meta.url).pathname);
	await page.click('[data-test=import-run]');
	await page.waitForSelector('[data-test=import-report]');
	assert.equal(await page.textContent('[data-test=n-total]'), '3');
	assert.equal(await page.textContent('[data-test=n-created]'), '2');
	assert.equal(await page.textContent('[data-test=n-failed]'), '1');
	const rows = await page.locator('[data-test=import-errors] .el-table__row').allInnerTexts();
	assert.equal(rows.length, 1);
	assert.match(rows[0], /^4\s/);
	assert.match(rows[0], /phone/);
});
