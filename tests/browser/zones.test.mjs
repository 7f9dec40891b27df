// The zone screens on the desktop: the commander draws a zone over a grid and finds it in the
// list with its days remaining; confirms a positive pool's proposal; rejects one without a
// reason, sees the server's refusal naming the field, then rejects it with one. Community staff
// move a fever referral from the gate to its close from the referrals list.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';
import { Client, areaByCode } from '../api/lib/harness.mjs';

const h = browserHarness('zones');
const GRID = '370212001001G03';

async function as(username) {
	const c = new Client(h.base, username);
	assert.equal((await c.login(username)).status, 200);
	return c;
}

function must(r) {
	assert.ok(r.status < 300, r.what);
	return r.json;
}

/* A positive pool made the way the sampling desk and the lab make one: a round over the
 * community, one tube of residents of several buildings, boxed, received and resulted
 * positive; the zones module then proposes a zone over each of their buildings. */
async function positivePool() {
	const [commander, registrar, lab] = [await as('commander'), await as('registrar1'), await as('lab1')];
	const community = await areaByCode(commander, '370212001001');
	const round = must(await commander.post('/api/v1/rounds', { name: '阳性混管', area_ids: [community.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 20 * 3600e3).toISOString() }));
	must(await commander.post(`/api/v1/rounds/${round.id}/open`));
	const site = must(await commander.post('/api/v1/sites', { area_id: community.id, code: 'ZS-01', name: '张村采样点', kind: 'fixed', desks: 1 }));
	const users = must(await (await as('admin')).get('/api/v1/users', { query: { limit: 200 } })).items;
	must(await commander.req('PUT', `/api/v1/sites/${site.id}/registrars`, { json: { user_ids: [users.find((u) => u.username === 'registrar1').id] } }));
	// community staff read full ID numbers, as the registrar types them
	const people = must(await (await as('community1')).get('/api/v1/people', { query: { area_id: community.id, limit: 200 } })).items
		.filter((p) => /^\d{17}[\dX]$/.test(p.id_number));
	const byBuilding = new Map(people.map((p) => [p.area_id, p]));
	const pool = [...byBuilding.values()].slice(0, 3);
	const key = () => `k-zs-${Date.now()}-${Math.random().toString(16).slice(2)}`;
	must(await registrar.post(`/api/v1/rounds/${round.id}/tubes`, { code: 'ZS01-0001', site_id: site.id, client_key: key() }));
	for (const p of pool) must(await registrar.post('/api/v1/tubes/ZS01-0001/scans', { id_number: p.id_number, client_key: key() }));
	must(await registrar.post('/api/v1/tubes/ZS01-0001/close'));
	must(await registrar.post('/api/v1/boxes', { code: 'BOX-ZS01', round_id: round.id, site_id: site.id }));
	must(await registrar.post('/api/v1/boxes/BOX-ZS01/tubes', { tube_code: 'ZS01-0001' }));
	must(await registrar.post('/api/v1/boxes/BOX-ZS01/seal'));
	must(await registrar.post('/api/v1/boxes/BOX-ZS01/handover', { to: '转运员' }));
	must(await lab.post('/api/v1/boxes/BOX-ZS01/receive'));
	must(await lab.post('/api/v1/tubes/ZS01-0001/result', { result: 'positive', client_key: key() }));
}

async function pendingDraws(commander) {
	const r = await commander.get('/api/v1/zone-proposals', { query: { status: 'pending' } });
	assert.equal(r.status, 200, r.what);
	return r.json.items.filter((p) => p.action === 'draw');
}

async function openZones(page) {
	await h.login(page, 'commander');
	await page.click('.el-menu-item:has-text("封控管控")');
	await page.waitForSelector('[data-test=zones-table]');
}

h.test('the commander confirms a positive pool\'s proposal and rejects one, first without a reason', async (page) => {
	await positivePool();
	const commander = await as('commander');
	const before = await pendingDraws(commander);
	assert.ok(before.length >= 2, `only ${before.length} proposals`);
	const [toConfirm, toReject] = before;
	await openZones(page);
	await page.click('[data-test=tab-proposals]');
	const rowOf = (p) => page.locator('[data-test=proposals-table] .el-table__row', { hasText: p.area_code });
	await rowOf(toConfirm).waitFor();
	await rowOf(toConfirm).locator('[data-test=proposal-confirm]').click();
	await page.click('.el-message-box__btns .el-button--primary');
	await rowOf(toConfirm).waitFor({ state: 'detached' });
	const confirmed = (await commander.get('/api/v1/zone-proposals', { query: { status: 'confirmed' } })).json.items;
	assert.ok(confirmed.some((p) => p.id === toConfirm.id), 'the proposal is confirmed');
	await rowOf(toReject).locator('[data-test=proposal-reject]').click();
	await page.click('[data-test=reject-send]');
	await page.waitForSelector('[data-test=reject-error]');
	assert.match(await page.innerText('[data-test=reject-error]'), /reason/);
	assert.ok((await pendingDraws(commander)).some((p) => p.id === toReject.id), 'still pending after the refusal');
	await page.fill('[data-test=reject-reason]', '已核实为外来人员');
	await page.click('[data-test=reject-send]');
	await rowOf(toReject).waitFor({ state: 'detached' });
	const rejected = (await commander.get('/api/v1/zone-proposals', { query: { status: 'rejected' } })).json.items;
	assert.equal(rejected.find((p) => p.id === toReject.id)?.decision_reason, '已核实为外来人员');
	// the zone drawn by the confirmation is in the list, and beside the round's targets with its
	// first screening due (24 h for a high zone)
	await page.click('.el-tabs__item:has-text("列表")');
	await page.locator('[data-test=zones-table] .el-table__row', { hasText: toConfirm.area_code }).waitFor();
	await page.click('.el-menu-item:has-text("检测轮次")');
	await page.click('[data-test=rounds-table] .el-table__row:has-text("阳性混管")');
	const beside = page.locator('[data-test=round-zones] .el-table__row', { hasText: toConfirm.area_code });
	await beside.waitFor();
	assert.match(await beside.locator('[data-test=due]').innerText(), /还剩 2[34] h/);
});

h.test('the commander draws a zone and sees it in the list with its days remaining', async (page) => {
	await openZones(page);
	await page.click('[data-test=zone-new]');
	await page.fill('[data-test=zone-area]', GRID);
	await page.click('[data-test=zone-kind] >> text=高风险区');
	// no reason: the server's refusal is shown naming the field, and nothing is drawn
	await page.click('[data-test=zone-save]');
	await page.waitForSelector('[data-test=zone-error]');
	assert.match(await page.innerText('[data-test=zone-error]'), /reason/);
	await page.fill('[data-test=zone-reason]', '密接者住所');
	await page.click('[data-test=zone-save]');
	const row = page.locator('[data-test=zones-table] .el-table__row', { hasText: GRID });
	await row.waitFor();
	assert.match(await row.innerText(), /高风险区/);
	assert.equal((await row.locator('[data-test=zone-days]').innerText()).trim(), '7 天');
	const z = (await (await as('commander')).get('/api/v1/zones', { query: { status: 'active' } })).json.items
		.find((x) => x.area.code === GRID);
	assert.equal(z.days_remaining, 7, 'the list shows what the server says');
	assert.match(await row.innerText(), new RegExp(`\\b${z.people}\\b`), 'the people count');
	// the area tree opens down to the grid and shows the zone on it with its days remaining
	await page.click('.el-tabs__item:has-text("区域树")');
	const onTree = page.locator('[data-test=zone-tree] .el-tree-node__content', { hasText: GRID }).locator('[data-test=tree-zone]');
	await onTree.waitFor();
	assert.match(await onTree.innerText(), /高风险区 · 7 天/);
	await page.click('.el-tabs__item:has-text("列表")');
	// its detail: the history and the people, IDs masked as the API gives them
	await row.click();
	await page.waitForSelector('[data-test=zone-people] .el-table__row');
	assert.match(await page.innerText('[data-test=zone-history]'), /划定/);
	assert.match(await page.locator('[data-test=zone-people] .el-table__row td:nth-child(2)').first().innerText(), /\*/);
});

h.test('community staff move a fever referral to its close from the list', async (page) => {
	const community = await as('community1');
	const area = await areaByCode(community, '370212001001');
	const cp = (await community.post('/api/v1/checkpoints', { area_id: area.id, code: 'CP-REF-1', name: '张村南门' })).json;
	assert.equal((await community.req('PUT', `/api/v1/checkpoints/${cp.id}/staff`, { json: { usernames: ['volunteer1'] } })).status, 200);
	// a resident under no zone, so the gate lets them in and the fever alone opens the referral
	const zoned = (await community.get('/api/v1/zones', { query: { status: 'active' } })).json.items.map((z) => z.area.path);
	const person = (await community.get('/api/v1/people', { query: { area_id: area.id, limit: 100 } })).json.items
		.find((p) => !zoned.some((z) => p.area_path.startsWith(z)));
	assert.ok(person, 'a resident outside every zone');
	const volunteer = await as('volunteer1');
	const pass = await volunteer.post(`/api/v1/checkpoints/${cp.id}/passes`, {
		direction: 'in', id_number: person.id_number, temperature: 38.1, client_key: `k-ref-${Date.now()}` });
	assert.equal(pass.status, 201, pass.what);
	assert.ok(pass.json.referral_id);
	await h.login(page, 'community1');
	await page.click('.el-menu-item:has-text("发热转诊")');
	const row = page.locator('[data-test=referrals-table] .el-table__row', { hasText: person.name });
	await row.waitFor();
	for (const [status, text] of [['开立', '张村社区卫生服务站'], ['送诊', '普通感冒'], ['结果', '已回家观察']]) {
		assert.equal((await row.locator('[data-test=referral-status]').innerText()).trim(), status);
		await row.locator('[data-test=referral-next]').click();
		await page.fill('[data-test=referral-text]', text);
		await page.click('[data-test=referral-send]');
		await page.waitForFunction(([name, was]) => {
			const r = [...document.querySelectorAll('[data-test=referrals-table] .el-table__row')].find((x) => x.innerText.includes(name));
			return !r || !r.querySelector('[data-test=referral-status]').innerText.includes(was);
		}, [person.name, status]);
	}
	// closed: gone from the list of those not closed; shown under closed with each step's user
	await row.waitFor({ state: 'detached' });
	const r = (await community.get(`/api/v1/fever-referrals/${pass.json.referral_id}`)).json;
	assert.equal(r.status, 'closed');
	assert.equal(r.closed.note, '已回家观察');
	await page.click('[data-test=referrals-status]');
	await page.click('.el-select-dropdown__item:has-text("已关闭")');
	await row.waitFor();
	assert.match(await row.innerText(), /community1/);
});
