// Requests in a browser. A resident of a building with no building lead (its account made
// through the API) signs in by phone code on the login screen and raises a medicine request on
// the phone; the grid worker's queue, open before, shows it without a reload (the event
// stream; its poll is 30 s away), the worker accepts it and marks it done with a note in the
// drawer, the resident confirms it solved on the phone, and the request is closed by the
// resident. A grid worker on the phone escalates one from the Vant list (not without a
// reason), and on the desktop raises one for a resident found by name (not without a person).
// A community worker imports the hotline's file (a bad row listed by line and field, nothing
// stored; then created, then duplicates) and reads the counts.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode, makeId, newPerson, phoneFor } from '../api/lib/harness.mjs';

const h = browserHarness('requests');
const GRID = '370212001001G01';
const BUILDING = '370212001001G01B02'; /* no building lead: its requests sit at the grid */
const fx = {};

const setup = once(makeFixtures);
async function makeFixtures() {
	const admin = new Client(h.base, 'admin');
	assert.equal((await admin.login('admin')).status, 200);
	fx.admin = admin;
	fx.building = await areaByCode(admin, BUILDING);
	fx.grid = await areaByCode(admin, GRID);
	fx.resident = await newPerson(admin, fx.building.id, 701, { name: '药需求', phone: phoneFor(701) });
	fx.resident.mobile = phoneFor(701); /* the reply shows it masked */
	fx.other = await newPerson(admin, fx.building.id, 702, { name: '升级测', phone: phoneFor(702) });
	// a passwordless account, signing in by phone code, for everyone of the building with a
	// mobile number
	const made = ok(await admin.post('/api/v1/users/residents', { area_id: String(fx.building.id) }));
	assert.ok(made.created >= 2, JSON.stringify(made));
	fx.grid1 = new Client(h.base, 'grid1');
	assert.equal((await fx.grid1.login('grid1')).status, 200);
}

/* The resident signs in on the login screen's phone tab with the one-time code (read from the
 * outbox as the admin, as an operator with no SMS gateway would) and lands on its page. */
async function residentLogin(page, person) {
	await page.goto(h.base + '/login');
	await page.click('[data-test=login-tab-code]');
	await page.fill('[data-test=login-phone]', person.mobile);
	await page.click('[data-test=login-send]');
	await page.waitForSelector('[data-test=login-sent]');
	const box = ok(await fx.admin.get('/api/v1/outbox', { query: { to: person.mobile } })).items;
	const mine = box.filter((m) => m.purpose === 'login_code');
	assert.equal(mine.length, 1, JSON.stringify(box));
	await page.fill('[data-test=login-code]', /验证码 (\d{6})/.exec(mine[0].body)[1]);
	await page.click('[data-test=login-submit]');
	await page.waitForSelector('[data-test=me]');
}

h.test('a resident\'s medicine request reaches the grid worker live, is done, confirmed and closed', async (page) => {
	await setup();
	// the grid worker's queue is open first, at its own level
	const desk = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
	const worker = await desk.newPage();
	worker.setDefaultTimeout(15_000);
	try {
		await h.login(worker, 'grid1');
		await worker.click('.el-menu-item:has-text("诉求办理")');
		await worker.waitForSelector('[data-test=requests-table]');
		await worker.waitForFunction(() => document.querySelector('[data-test=requests-live]')?.innerText === '实时');
		assert.match(await worker.locator('[data-test=requests-tabs] .is-active').innerText(), /本级待办/);
		await worker.evaluate(() => (window.__sameDocument = true));

		// the resident raises a medicine request on the phone
		await residentLogin(page, fx.resident);
		await page.click('[data-test=me-requests]');
		await page.waitForSelector('[data-test=my-requests]');
		await page.click('[data-test=my-new]');
		await page.click('[data-test=my-kind-medicine]');
		await page.click('[data-test=my-urgency-normal]');
		await page.fill('[data-test=my-detail] textarea', '需要购买降压药（硝苯地平缓释片）');
		await page.click('[data-test=my-send]');
		await page.waitForSelector('[data-test=my-notice]');
		const card = page.locator('[data-test^=my-request-]').first();
		const id = (await card.getAttribute('data-test')).replace('my-request-', '');
		assert.match(await card.innerText(), /购药[\s\S]*待受理[\s\S]*硝苯地平/);
		const raisedAt = Date.now();
		const r0 = ok(await fx.grid1.get(`/api/v1/requests/${id}`));
		assert.deepEqual([r0.person.name, r0.kind, r0.source, r0.level, String(r0.level_area_id)],
			[fx.resident.name, 'medicine', 'resident', 'grid', String(fx.grid.id)]);

		// the worker's queue shows it without a reload, long before its 30 s poll
		await worker.waitForSelector(`[data-test=requests-table] [data-test="request-status-${id}"]`, { timeout: 10_000 });
		assert.ok(Date.now() - raisedAt < 10_000);
		assert.equal(await worker.evaluate(() => window.__sameDocument), true, 'the queue page was reloaded');
		const row = worker.locator(`[data-test=requests-table] .el-table__row:has([data-test="request-status-${id}"])`);
		assert.match(await row.innerText(), new RegExp(`购药[\\s\\S]*一般[\\s\\S]*${fx.resident.name}[\\s\\S]*网格[\\s\\S]*还剩[\\s\\S]*待受理`));

		// accepted, then done with a note, in the drawer
		await worker.click(`[data-test="request-open-${id}"]`);
		await worker.waitForSelector('[data-test=request-detail] [data-test=request-log]');
		await worker.click(`[data-test="request-accept-${id}"]`);
		await worker.waitForFunction((i) => document.querySelector(`[data-test="request-status-${i}"]`)?.innerText === '办理中', id);
		await worker.click(`[data-test="request-done-${id}"]`);
		await worker.fill('[data-test=action-prompt] textarea', '已代购送达');
		await worker.click('[data-test=action-send]');
		await worker.waitForFunction((i) => document.querySelector(`[data-test="request-status-${i}"]`)?.innerText === '已办结', id);
		await worker.waitForFunction(() => /受理[\s\S]*办结[\s\S]*已代购送达/.test(document.querySelector('[data-test=request-detail] [data-test=request-log]')?.innerText || ''));
		// a done request has no deadline to show, and the worker cannot confirm for the resident
		assert.equal(await worker.locator(`[data-test="request-confirm-${id}"]`).count(), 0);

		// the resident sees it done and confirms it solved
		await page.reload();
		await page.waitForFunction((i) => document.querySelector(`[data-test="my-status-${i}"]`)?.innerText === '已办结', id);
		await page.click(`[data-test="request-confirm-${id}"]`);
		await page.waitForFunction((i) => document.querySelector(`[data-test="my-status-${i}"]`)?.innerText === '已关闭', id);
		assert.equal(await page.locator(`[data-test="request-confirm-${id}"]`).count(), 0);
		assert.equal(await page.locator(`[data-test="request-reopen-${id}"]`).innerText(), '未解决，重新打开');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `the requests page is ${overflow}px wider than the phone`);

		// closed by the resident, every step in the log
		const r = ok(await fx.grid1.get(`/api/v1/requests/${id}`));
		assert.deepEqual([r.status, r.closed_by], ['closed', 'resident']);
		const steps = r.log.map((l) => l.action);
		for (const a of ['raised', 'accepted', 'done']) assert.ok(steps.includes(a), `${a} in ${steps}`);
		assert.ok(steps.includes('confirmed') || steps.includes('closed'), `confirmed in ${steps}`);
		assert.ok(r.log.some((l) => l.note === '已代购送达'), 'the done note is logged');
	} finally {
		await desk.close();
	}
}, PHONE);

h.test('a grid worker escalates a request from the list on the phone, not without a reason', async (page) => {
	await setup();
	const raised = ok(await fx.grid1.post('/api/v1/requests', { person_id: String(fx.other.id), kind: 'elderly_help',
		urgency: 'urgent', detail: '独居老人需要陪同就医', client_key: 'reqweb-escalate-1' }));
	assert.equal(raised.level, 'grid');
	await h.login(page, 'grid1');
	await page.goto(h.base + '/requests');
	await page.click('[data-test=requests-tabs] .van-tab:has-text("辖区全部")');
	await page.waitForSelector(`[data-test="request-${raised.id}"]`);
	assert.match(await page.locator(`[data-test="request-${raised.id}"]`).innerText(), /助老服务[\s\S]*紧急[\s\S]*待受理[\s\S]*升级测[\s\S]*网格/);
	await page.click(`[data-test="request-escalate-${raised.id}"]`);
	await page.waitForSelector('[data-test=action-prompt] textarea');
	await page.click('.van-dialog__confirm');
	await page.waitForSelector('[data-test=action-error]');
	assert.equal(await page.locator('[data-test=action-error]').innerText(), '请填写原因');
	assert.equal(ok(await fx.grid1.get(`/api/v1/requests/${raised.id}`)).level, 'grid', 'nothing changed without a reason');
	await page.fill('[data-test=action-prompt] textarea', '需社区协调车辆');
	await page.click('.van-dialog__confirm');
	await page.waitForFunction((i) => /社区/.test(document.querySelector(`[data-test="request-${i}"]`)?.innerText || ''), raised.id);
	const r = ok(await fx.grid1.get(`/api/v1/requests/${raised.id}`));
	assert.equal(r.level, 'community');
	assert.ok(r.log.some((l) => l.action === 'escalated' && l.note === '需社区协调车辆'), JSON.stringify(r.log));
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `the queue is ${overflow}px wider than the phone`);
}, PHONE);

h.test('a community worker imports the hotline file and reads the counts', async (page) => {
	await setup();
	const head = 'ticket_no,received_at,name,phone,id_number,area_code,kind,urgency,detail';
	const line = (no, kind, name, seq) => [no, '2022-04-02T09:00:00+08:00', name, phoneFor(seq), makeId('19800101', seq),
		BUILDING, kind, '一般', '热线来电'].join(',');
	const bad = [head, line('RX-1', '购药', fx.resident.name, 701), line('RX-2', '买菜', fx.other.name, 702)].join('\n') + '\n';
	const good = [head, line('RX-1', '购药', fx.resident.name, 701), line('RX-2', '生活物资', fx.other.name, 702)].join('\n') + '\n';
	await h.login(page, 'community1');
	await page.click('.el-menu-item:has-text("热线导入")');
	await page.setInputFiles('[data-test=import-file]', { name: 'hotline.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	await page.click('[data-test=import-run]');
	await page.waitForSelector('[data-test=import-errors] .el-table__row');
	const errors = await page.locator('[data-test=import-errors] .el-table__row').allInnerTexts();
	assert.equal(errors.length, 1, errors.join('\n'));
	assert.match(errors[0], /^3\s+kind\s/);
	const c1 = new Client(h.base, 'community1');
	assert.equal((await c1.login('community1')).status, 200);
	const tickets = async () => ok(await c1.get('/api/v1/requests', { query: { limit: 100 } })).items.filter((r) => /^RX-/.test(r.ticket_no || ''));
	assert.deepEqual(await tickets(), [], 'a file with a bad row stores nothing');

	await page.setInputFiles('[data-test=import-file]', { name: 'hotline.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
	await page.click('[data-test=import-run]');
	await page.waitForSelector('[data-test=import-created]');
	assert.equal(await page.locator('[data-test=import-created]').innerText(), '新增 2 件');
	assert.equal((await tickets()).length, 2);
	await page.click('[data-test=import-run]');
	await page.waitForFunction(() => document.querySelector('[data-test=import-duplicates]')?.innerText === '重复工单 2 件（已导入过）');
	assert.equal(await page.locator('[data-test=import-created]').innerText(), '新增 0 件');
	assert.equal((await tickets()).length, 2, 'the same tickets again are not new requests');

	await page.click('.el-menu-item:has-text("诉求统计")');
	await page.waitForSelector('[data-test=counts-kind] .el-table__row');
	const counts = ok(await c1.get('/api/v1/requests/counts'));
	const kinds = await page.locator('[data-test=counts-kind] .el-table__row').allInnerTexts();
	const medicine = kinds.find((k) => k.startsWith('购药'));
	assert.equal(medicine.replace(/\s+/g, ' '), `购药 ${counts.by_kind.medicine}`);
	assert.ok(counts.by_kind.medicine >= 1 && counts.by_kind.supplies >= 1, JSON.stringify(counts));
	assert.equal(await page.locator('[data-test=counts-open]').innerText(), String(counts.open));
});

h.test('a worker raises a request for a resident found by name', async (page) => {
	await setup();
	await h.login(page, 'grid1');
	await page.click('.el-menu-item:has-text("诉求办理")');
	await page.click('[data-test=requests-new]');
	await page.waitForSelector('[data-test=request-form]');
	// nobody chosen yet: the form says so and sends nothing
	await page.fill('[data-test=request-detail-input]', '需要陪同去医院复查');
	await page.click('[data-test=request-save]');
	await page.waitForSelector('.el-form-item__error:has-text("请选择居民")');
	await page.click('[data-test=request-person-pick]');
	await page.keyboard.type(fx.other.name);
	await page.click(`.el-select-dropdown__item:visible:has-text("${fx.other.name}")`);
	await page.click('[data-test=kind-medical]');
	await page.click('[data-test=request-urgency] .el-radio:has-text("紧急")');
	await page.click('[data-test=request-save]');
	await page.waitForSelector('[data-test=request-detail] [data-test=request-log]');
	assert.match(await page.locator('[data-test=request-detail]').innerText(), new RegExp(`就医[\\s\\S]*紧急[\\s\\S]*待受理[\\s\\S]*${fx.other.name}[\\s\\S]*需要陪同去医院复查[\\s\\S]*工作人员代提`));
	const mine = ok(await fx.grid1.get('/api/v1/requests', { query: { kind: 'medical' } })).items
		.filter((r) => String(r.person.id) === String(fx.other.id));
	assert.deepEqual(mine.map((r) => [r.urgency, r.source, r.detail]), [['urgent', 'worker', '需要陪同去医院复查']]);
});
