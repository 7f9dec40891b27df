// Each role logs in through the UI and sees what it may use, and nothing else.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('roles');

const MENU = {
	admin: ['首页', '区域网格', '居民', '居民导入', '检测进度', '检测轮次', '采样点', '检测录入', '用户与角色', '审计日志', '防控策略'],
	commander: ['首页', '区域网格', '居民', '居民导入', '检测进度', '检测轮次', '采样点', '防控策略'],
	community1: ['首页', '区域网格', '居民', '居民导入', '采样登记', '检测进度', '上门采样', '检测轮次', '采样点'],
	grid1: ['首页', '区域网格', '居民', '检测进度', '上门采样'],
	building1: ['首页', '区域网格', '居民', '检测进度', '上门采样'],
	registrar1: ['首页', '区域网格', '采样登记'],
	volunteer1: ['首页', '区域网格'],
	lab1: ['首页', '检测录入'],
	resident1: ['首页'],
};

for (const [user, want] of Object.entries(MENU)) {
	h.test(`${user} sees exactly its menu`, async (page) => {
		await h.login(page, user);
		const items = (await page.locator('.el-menu-item').allInnerTexts()).map((s) => s.trim());
		assert.deepEqual(items, want);
	});
}

h.test('a wrong password shows the error and stays on login', async (page) => {
	await page.goto(h.base + '/login');
	await page.fill('#username', 'grid1');
	await page.fill('#password', 'wrong-password');
	await page.click('button[type=submit]');
	await page.waitForSelector('[data-test=login-error]');
	assert.match(await page.textContent('[data-test=login-error]'), /用户名或密码错误/);
	assert.match(page.url(), /\/login/);
});

h.test('lab cannot open the residents screen even by URL', async (page) => {
	await h.login(page, 'lab1');
	await page.goto(h.base + '/people');
	await page.waitForSelector('[data-test=role]');
	assert.equal(await page.locator('[data-test=people-table]').count(), 0);
});

h.test('a grid worker finds only residents of its own grid', async (page) => {
	await h.login(page, 'grid1');
	await page.goto(h.base + '/people');
	await page.waitForSelector('[data-test=people-table] .el-table__row');
	const areas = await page.locator('[data-test=people-table] .el-table__row td:nth-child(6)').allInnerTexts();
	assert.ok(areas.length > 0);
	// grid1 is 370212001001G01: its buildings are named within that grid only
	await page.fill('[data-test=people-area]', '370212001002G01B01');
	await page.click('[data-test=people-search]');
	await page.waitForSelector('.error');
	assert.equal(await page.locator('[data-test=people-table] .el-table__row').count(), 0);
});

h.test('a resident sees its own record', async (page) => {
	await h.login(page, 'resident1');
	await page.click('text=居民详情');
	await page.waitForSelector('[data-test=person]');
	assert.ok((await page.textContent('[data-test=id-number]')).includes('*'), 'resident role sees its ID masked');
});
