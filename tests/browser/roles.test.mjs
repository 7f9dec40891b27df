// Each role logs in through the UI and sees what it may use, and nothing else.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('roles');

const MENU = {
	admin: ['首页', '指挥大屏', '区域网格', '居民', '居民导入', '检测进度', '检测轮次', '采样点', '卡口管理', '封控管控', '病例追踪', '隔离场所', '隔离管控', '健康监测', '排查登记', '随访统计', '诉求办理', '诉求统计', '热线导入', '服务人员', '志愿招募', '队伍与岗位', '派驻批次', '送货上门', '捐赠', '物资库存', '物资与库存点', '在岗情况', '排班表', '检测录入', '用户与角色', '发件箱', '审计日志', '防控策略', '每日简报'],
	commander: ['首页', '指挥大屏', '区域网格', '居民', '居民导入', '检测进度', '检测轮次', '采样点', '卡口管理', '封控管控', '发热转诊', '病例追踪', '隔离场所', '隔离管控', '健康监测', '排查登记', '随访统计', '诉求办理', '诉求统计', '热线导入', '服务人员', '志愿招募', '队伍与岗位', '派驻批次', '送货上门', '捐赠', '物资库存', '物资与库存点', '在岗情况', '排班表', '防控策略', '每日简报'],
	community1: ['首页', '指挥大屏', '区域网格', '居民', '居民导入', '采样登记', '检测进度', '上门采样', '检测轮次', '采样点', '卡口管理', '封控管控', '发热转诊', '病例追踪', '隔离场所', '隔离管控', '健康监测', '排查登记', '电话随访', '随访统计', '诉求办理', '诉求统计', '热线导入', '服务人员', '志愿招募', '队伍与岗位', '派驻批次', '送货上门', '捐赠', '物资库存', '物资与库存点', '在岗情况', '排班表', '我的班次', '每日简报'],
	grid1: ['首页', '指挥大屏', '区域网格', '居民', '检测进度', '上门采样', '封控管控', '病例追踪', '隔离管控', '健康监测', '排查登记', '电话随访', '随访统计', '诉求办理', '诉求统计', '服务人员', '志愿招募', '队伍与岗位', '派驻批次', '送货上门', '物资库存', '物资与库存点', '在岗情况', '排班表', '我的班次'],

	building1: ['首页', '区域网格', '居民', '检测进度', '上门采样', '封控管控', '隔离管控', '健康监测', '电话随访', '诉求办理', '诉求统计', '送货上门', '在岗情况', '排班表', '我的班次'],
	registrar1: ['首页', '区域网格', '采样登记', '在岗情况', '排班表', '我的班次'],
	volunteer1: ['首页', '区域网格', '卡口值守', '送货上门', '我的班次'],
	lab1: ['首页', '检测录入'],
	resident1: ['首页', '我的', '健康上报', '我的诉求'],
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
	// The router sends it home (the screen never mounts), and the API refuses it as well.
	await page.waitForURL((u) => u.pathname === '/');
	assert.equal(await page.textContent('[data-test=role]'), '检测机构');
	assert.equal(await page.locator('.people').count(), 0, 'the residents screen mounted');
	const r = await page.request.get(h.base + '/api/v1/people');
	assert.equal(r.status(), 403, await r.text());
});

h.test('a grid worker finds only residents of its own grid', async (page) => {
	await h.login(page, 'grid1');
	const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/people');
	await page.goto(h.base + '/people');
	const people = await (await listed).json();
	await page.waitForSelector('[data-test=people-table] .el-table__row');
	// grid1 is 370212001001G01: every row shown is a resident of an area inside that grid.
	const me = await (await page.request.get(h.base + '/api/v1/auth/me')).json();
	assert.deepEqual(me.user.scopes.map((s) => s.code), ['370212001001G01']);
	const grid = await (await page.request.get(h.base + '/api/v1/areas/' + me.user.scopes[0].id)).json();
	assert.match(grid.path, /^\/\d+\/\d+\/\d+\/\d+\/$/, 'a grid four levels down');
	assert.ok(people.items.length > 0, 'grid1 has residents');
	const outside = people.items.filter((p) => !p.area_path.startsWith(grid.path));
	assert.deepEqual(outside.map((p) => [p.name, p.area_name]), [], 'residents outside grid1\'s grid');
	const names = await page.locator('[data-test=people-table] .el-table__row td:nth-child(1)').allInnerTexts();
	const areas = await page.locator('[data-test=people-table] .el-table__row td:nth-child(6)').allInnerTexts();
	assert.deepEqual(names.map((s) => s.trim()), people.items.map((p) => p.name), 'the table shows the rows read');
	assert.deepEqual(areas.map((s) => s.trim()), people.items.map((p) => p.area_name));
	// Its buildings are named within that grid only: another grid's building is refused.
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
