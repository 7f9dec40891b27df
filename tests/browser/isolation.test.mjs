// Isolation and tracing in a browser: resident1, placed at home, files its morning report on
// the phone (temperature pad, a symptom, submit) and sees it as today's morning report; a
// community worker opens a case, picks two of its close contacts, places them, and finds both
// in the facility's rooms on its board; the same worker arranges a transfer for a centralised
// placement with no room, and on the facility's board marks it arrived in a room with a free
// bed (one filled meanwhile is refused, the server's message shown), where the person then is; a grid worker on the door-to-door phone page marks a test of a
// person isolated at home sampled. The server's clock is the test clock, set to a morning.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode, moveClock } from '../api/lib/harness.mjs';

const h = browserHarness('isolation', { testClock: true });
const COMMUNITY = '370212001001';
const GRID = '370212001001G01';
const fx = {};

/* Today in China Standard Time, as the server's calendar days are. */
function shanghaiDay(ms = Date.now()) {
	return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

const setup = once(makeFixtures);
async function makeFixtures() {
	const admin = new Client(h.base, 'admin');
	assert.equal((await admin.login('admin')).status, 200);
	// tomorrow 09:00 in China: a morning, and later than anything the demo made
	fx.now = (await moveClock(admin, { set: `${shanghaiDay(Date.now() + 86_400_000)}T09:00:00+08:00` })).now_ms;
	assert.ok(fx.now > Date.now(), 'the test clock moved on');
	const commander = new Client(h.base, 'commander');
	assert.equal((await commander.login('commander')).status, 200);
	fx.commander = commander;
	const grid = await areaByCode(commander, GRID);
	const people = ok(await commander.get('/api/v1/people', { query: { area_id: grid.id, limit: 20 } })).items;
	const resident = new Client(h.base, 'resident1');
	assert.equal((await resident.login('resident1')).status, 200);
	fx.residentPerson = ok(await resident.get('/api/v1/auth/me')).user.person_id;
	assert.ok(fx.residentPerson, 'resident1 is bound to a person');
	fx.people = people.filter((p) => String(p.id) !== String(fx.residentPerson));
	assert.ok(fx.people.length >= 3);
	// people of the community outside the grid, for the transfer
	const community = await areaByCode(commander, COMMUNITY);
	const inGrid = new Set(people.map((p) => String(p.id)));
	fx.others = ok(await commander.get('/api/v1/people', { query: { area_id: community.id, limit: 100 } })).items
		.filter((p) => !inGrid.has(String(p.id)) && String(p.id) !== String(fx.residentPerson));
	assert.ok(fx.others.length >= 3, `${fx.others.length} people in the community outside the grid`);
}

/* resident1 isolated at home (a secondary contact): its test of day 1 is due today, at the door. */
async function residentPlaced() {
	fx.residentPlacement ||= ok(await fx.commander.post('/api/v1/placements', { person_id: String(fx.residentPerson), reason: 'secondary_contact' })).items[0];
	return fx.residentPlacement;
}

h.test('a resident files its morning report on the phone', async (page) => {
	await setup();
	await residentPlaced();
	await h.login(page, 'resident1');
	await page.click('.van-tabbar-item:has-text("健康上报")');
	await page.waitForSelector('[data-test=health-half]');
	assert.match(await page.locator('[data-test=health-half]').innerText(), /上午/);
	assert.match(await page.locator('[data-test=health-am]').innerText(), /未报/);
	for (const k of '36.6') await page.click(`[data-test="pad-${k}"]`);
	assert.equal(await page.locator('[data-test=health-temp]').innerText(), '36.6 ℃');
	await page.click('[data-test=symptom-cough]');
	await page.click('[data-test=health-submit]');
	await page.waitForSelector('[data-test=health-done]');
	await page.waitForFunction(() => /36\.6/.test(document.querySelector('[data-test=health-am]')?.innerText || ''));
	assert.match(await page.locator('[data-test=health-am]').innerText(), /36\.6 ℃ · 咳嗽/);
	assert.match(await page.locator('[data-test=health-pm]').innerText(), /未报/);
	assert.equal(await page.locator('[data-test=health-queued]').innerText(), '待发送 0');
	// the server holds one morning report, by the resident itself, with the symptom
	const reports = ok(await fx.commander.get('/api/v1/health/reports', { query: { person_id: String(fx.residentPerson) } })).items;
	assert.deepEqual(reports.map((r) => [r.half, r.temperature, r.symptoms, r.by_self]), [['am', 36.6, ['cough'], true]]);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `the report page is ${overflow}px wider than the phone`);
}, PHONE);

h.test('a worker places two contacts from a case page and sees them on the facility board', async (page) => {
	await setup();
	const c = fx.commander;
	const community = await areaByCode(c, COMMUNITY);
	const facility = ok(await c.post('/api/v1/facilities', { name: '海景隔离酒店', area_id: community.id, address: '海滨路 1 号', phone: '0532-80000001' }));
	ok(await c.post(`/api/v1/facilities/${facility.id}/rooms`, { rooms: [{ number: '801', capacity: 1 }, { number: '802', capacity: 2 }] }));
	const [who, a, b] = fx.people;
	const kase = ok(await c.post('/api/v1/cases', { person_id: String(who.id), status: 'confirmed', found_by: 'screening', found_place: '张村采样点' }));
	for (const p of [a, b]) {
		ok(await c.post(`/api/v1/cases/${kase.id}/contacts`, { person_id: String(p.id), kind: 'close', place: '张村菜市场',
			met_at: new Date(fx.now - 3_600_000).toISOString(), exposure: 'shared_space', certainty: 'confirmed', source: 'named_by_case' }));
	}

	await h.login(page, 'community1');
	await page.click('.el-menu-item:has-text("病例追踪")');
	await page.click(`[data-test=cases-table] .el-table__row:has-text("${who.name}")`);
	await page.waitForSelector('[data-test=case]');
	assert.match(await page.locator('[data-test=case-generation]').innerText(), /第 1 代/);
	await page.waitForSelector('[data-test=trace-graph] canvas');
	for (const p of [a, b]) await page.click(`[data-test=contacts-table] .el-table__row:has-text("${p.name}") .el-checkbox`);
	assert.match(await page.locator('[data-test=contacts-place]').innerText(), /2 人/);
	await page.click('[data-test=contacts-place]');
	await page.waitForSelector('[data-test=place-facility]');
	// the only facility is chosen already; any free bed
	await page.waitForFunction((name) => document.querySelector('[data-test=place-facility]')?.innerText.includes(name), facility.name);
	await page.click('[data-test=place-go]');
	await page.waitForFunction(() => document.querySelectorAll('[data-test=contacts-table] .el-table__row').length === 2 &&
		[...document.querySelectorAll('[data-test=contacts-table] .el-table__row')].every((r) => r.innerText.includes('已管控')));

	await page.click('.el-menu-item:has-text("隔离场所")');
	await page.click(`[data-test=facilities-table] .el-table__row:has-text("${facility.name}")`);
	await page.waitForSelector('[data-test=facility-board]');
	const rooms = await page.locator('[data-test=board-rooms]').innerText();
	for (const p of [a, b]) assert.ok(rooms.includes(p.name), `${p.name} in a room on the board:\n${rooms}`);
	assert.equal((await page.locator('[data-test=board-occupied]').innerText()).match(/\d+/)[0], '2');
	assert.match(await page.locator('[data-test=board-arrivals]').innerText(), new RegExp(a.name));
	// the rooms the screen chose hold no more than their beds: 801 one, 802 the other
	const placed = ok(await c.get('/api/v1/placements', { query: { facility_id: String(facility.id), status: 'active' } })).items;
	assert.deepEqual(placed.map((p) => p.room_number).sort(), ['801', '802']);
});

h.test('a transfer is arranged from the placements page and arrives in a free room on the board', async (page) => {
	await setup();
	const c = fx.commander;
	const community = await areaByCode(c, COMMUNITY);
	const facility = ok(await c.post('/api/v1/facilities', { name: '山景隔离酒店', area_id: community.id, address: '山前路 9 号', phone: '0532-80000002' }));
	const rooms = ok(await c.post(`/api/v1/facilities/${facility.id}/rooms`, { rooms: ['901', '902', '903'].map((number) => ({ number, capacity: 1 })) })).items;
	const room = (n) => String(rooms.find((r) => r.number === n).id);
	const [who, other, third] = fx.others;
	// 901 is taken already; the person to move has a centralised placement with no room
	ok(await c.post('/api/v1/placements', { person_id: String(other.id), reason: 'close_contact', facility_id: String(facility.id), room_id: room('901') }));
	const placed = ok(await c.post('/api/v1/placements', { person_id: String(who.id), reason: 'close_contact' })).items[0];
	assert.equal(placed.kind, 'centralised');
	assert.equal(placed.room_id, null);

	await h.login(page, 'community1');
	await page.click('.el-menu-item:has-text("隔离管控")');
	await page.waitForSelector(`[data-test=placements-table] .el-table__row:has-text("${who.name}")`);
	await page.locator(`[data-test="placement-transfer-${placed.id}"]`).first().click();
	await page.waitForSelector('[data-test=transfer-form]');
	await page.click('[data-test=transfer-facility]');
	await page.click(`.el-select-dropdown__item:visible:has-text("${facility.name}")`);
	await page.fill('[data-test=transfer-vehicle]', '鲁B·D1234');
	await page.fill('[data-test=transfer-escort]', '王医生');
	await page.click('[data-test=transfer-save]');
	await page.waitForSelector('[data-test=transfer-form]', { state: 'hidden' });
	const [tr] = ok(await c.get('/api/v1/transfers', { query: { facility_id: String(facility.id) } })).items;
	assert.deepEqual([tr.person.name, tr.vehicle, tr.escort, tr.arrived_at], [who.name, '鲁B·D1234', '王医生', null]);

	await page.click('.el-menu-item:has-text("隔离场所")');
	await page.click(`[data-test=facilities-table] .el-table__row:has-text("${facility.name}")`);
	await page.waitForSelector('[data-test=facility-board]');
	await page.waitForSelector(`[data-test=board-transfers] .el-table__row:has-text("${who.name}")`);
	assert.match(await page.locator('[data-test=board-transfers]').innerText(), /鲁B·D1234[\s\S]*王医生[\s\S]*在途/);
	await page.click(`[data-test="transfer-arrive-${tr.id}"]`);
	// only the rooms with a free bed are offered
	await page.click('[data-test=arrive-room]');
	await page.waitForSelector('.el-select-dropdown__item:visible');
	assert.deepEqual(await page.locator('.el-select-dropdown__item:visible').allInnerTexts(), ['902 · 空 1', '903 · 空 1']);
	await page.click('.el-select-dropdown__item:visible:has-text("902")');
	// meanwhile someone else takes 902's bed: the server's refusal is shown, nothing changes
	ok(await c.post('/api/v1/placements', { person_id: String(third.id), reason: 'close_contact', facility_id: String(facility.id), room_id: room('902') }));
	await page.click('[data-test=arrive-save]');
	await page.waitForSelector('[data-test=arrive-error]');
	assert.match(await page.locator('[data-test=arrive-error]').innerText(), /room_id/);
	assert.equal(ok(await c.get(`/api/v1/placements/${placed.id}`)).room_id, null);
	// the board reloads: 902 is full now, 903 offered alone and chosen
	await page.waitForFunction(() => document.querySelector('[data-test=room-902]')?.classList.contains('full'));
	await page.click('[data-test=arrive-room]');
	await page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown__item')].filter((e) => e.offsetParent).map((e) => e.innerText).join('|') === '903 · 空 1');
	await page.click('.el-select-dropdown__item:visible:has-text("903")');
	await page.click('[data-test=arrive-save]');
	await page.waitForSelector(`[data-test="transfer-arrived-${tr.id}"]`);
	await page.waitForFunction((name) => document.querySelector('[data-test=room-903]')?.innerText.includes(name), who.name);
	const after = ok(await c.get(`/api/v1/placements/${placed.id}`));
	assert.deepEqual([after.facility_name, after.room_number], [facility.name, '903']);
	assert.ok(ok(await c.get('/api/v1/transfers', { query: { facility_id: String(facility.id) } })).items[0].arrived_at);
});

h.test('a grid worker marks a test of a person isolated at home sampled on the door-to-door page', async (page) => {
	await setup();
	const placed = await residentPlaced();
	const who = ok(await fx.commander.get(`/api/v1/people/${fx.residentPerson}`));
	assert.equal(placed.kind, 'home_isolation');
	const test = placed.tests.find((x) => x.day_no === 1);
	assert.ok(test, 'a test on day 1');

	await h.login(page, 'grid1');
	await page.goto(`${h.base}/testing/door`);
	await page.click('.van-tab:has-text("隔离检测")');
	await page.waitForSelector(`[data-test="iso-test-${test.id}"]`);
	assert.match(await page.locator(`[data-test="iso-test-${test.id}"]`).innerText(), new RegExp(`${who.name}[\\s\\S]*居家隔离 · 第 1 天 · 待采样`));
	await page.click(`[data-test="iso-test-sampled-${test.id}"]`);
	await page.waitForFunction((id) => document.querySelector(`[data-test="iso-test-status-${id}"]`)?.innerText === '已采样', test.id);
	assert.equal(await page.locator(`[data-test="iso-test-sampled-${test.id}"]`).count(), 0);
	const now = ok(await fx.commander.get(`/api/v1/placements/${placed.id}`)).tests.find((x) => x.id === test.id);
	assert.equal(now.status, 'sampled');
}, PHONE);
