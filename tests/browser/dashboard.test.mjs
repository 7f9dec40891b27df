// The command dashboard and each role's home page in a browser: the dashboard of a community
// counts scans posted through the API while it is open (from the event stream, well before its
// poll), drills down to a grid by a click and back up by the breadcrumbs, and opens as a dark
// wall screen with no menus; the grid worker, the building lead, the registrar, the lab, the
// resident and the commander each land on a home page showing their own work.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { browserHarness, PASSWORD } from './lib/browser.mjs';
import { Client } from '../api/lib/harness.mjs';

const h = browserHarness('dashboard');
const S = {};
const COMMUNITY = '370212001001';
const GRID = '370212001001G01';

function must(r, what) {
	assert.ok(r.status < 300, `${what}: ${r.what}`);
	return r.json;
}

async function as(username) {
	const c = new Client(h.base, username);
	must(await c.login(username, PASSWORD), `login ${username}`);
	return c;
}

const key = () => `k-${randomUUID()}`;

/* An open round over the first community, a site of its first grid with registrar1 bound,
 * the community's residents and one open tube. */
async function setUp() {
	if (S.round) return;
	const admin = await as('admin');
	const commander = await as('commander');
	const community = await as('community1');
	const find = async (code) => must(await commander.get('/api/v1/areas', { query: { q: code } }), code).items.find((a) => a.code === code);
	S.comm = await find(COMMUNITY);
	S.grid = await find(GRID);
	S.round = must(await commander.post('/api/v1/rounds', {
		name: '大屏测试轮', area_ids: [S.comm.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 20 * 3600e3).toISOString(),
	}), 'round');
	must(await commander.post(`/api/v1/rounds/${S.round.id}/open`), 'open');
	S.site = must(await community.post('/api/v1/sites', {
		area_id: S.grid.id, code: 'DB' + Date.now().toString(36), name: '大屏测试采样点', kind: 'fixed', desks: 1,
	}), 'site');
	const reg = must(await admin.get('/api/v1/users', { query: { limit: 200 } }), 'users').items.find((u) => u.username === 'registrar1');
	must(await community.req('PUT', `/api/v1/sites/${S.site.id}/registrars`, { json: { user_ids: [reg.id] } }), 'registrars');
	// people of the community outside grid1, so grid1's worker still has people to sample
	const inGrid = new Set(must(await community.get('/api/v1/people', { query: { area_id: S.grid.id, limit: 100 } }), 'grid people').items.map((p) => p.id));
	S.people = must(await community.get('/api/v1/people', { query: { area_id: S.comm.id, limit: 100 } }), 'people').items
		.filter((p) => !inGrid.has(p.id));
	S.gridMissing = must(await (await as('grid1')).get(`/api/v1/rounds/${S.round.id}/missing`), 'missing').missing;
	S.registrar = await as('registrar1');
	S.tube = 'DT' + Date.now().toString(36).toUpperCase();
	must(await S.registrar.post(`/api/v1/rounds/${S.round.id}/tubes`, { code: S.tube, site_id: S.site.id, client_key: key() }), 'tube');
}

async function scan(i) {
	must(await S.registrar.post(`/api/v1/tubes/${S.tube}/scans`, { id_number: S.people[i].id_number, client_key: key() }), 'scan');
}

const text = (page, sel) => page.locator(sel).innerText();

h.test('the dashboard counts scans live while it is open, from the event stream', async (page) => {
	await setUp();
	await h.login(page, 'commander');
	await page.goto(`${h.base}/dashboard?area_id=${S.comm.id}`);
	await page.waitForSelector('[data-test=panel-round]');
	assert.equal(await text(page, '[data-test=dash-area]'), `${S.comm.name} 社区`);
	assert.equal(await text(page, '[data-test=fig-round-sampled]'), '0');
	assert.equal(await text(page, '[data-test=panel-round-name]'), '大屏测试轮');
	await page.waitForSelector('[data-test=area-map] canvas');
	await page.waitForFunction(() => document.querySelector('[data-test=dash-live]').innerText === '实时', null, { polling: 50 });
	const t0 = Date.now();
	for (let i = 0; i < 3; i++) await scan(i);
	// the poll is every 30 s: within 8 s only the events can have refreshed it
	await page.waitForFunction(() => document.querySelector('[data-test=fig-round-sampled]').innerText === '3', null, { polling: 100, timeout: 8000 });
	assert.ok(Date.now() - t0 < 8000);
	assert.equal(await text(page, `[data-test=child-sampled-${GRID}]`), '0', 'none of grid1');
	await scan(3);
	await page.waitForFunction(() => document.querySelector('[data-test=fig-round-sampled]').innerText === '4', null, { polling: 100, timeout: 8000 });
});

h.test('a click drills down to a grid; the breadcrumbs lead back up to the scope', async (page) => {
	await setUp();
	await h.login(page, 'commander');
	await page.goto(`${h.base}/dashboard`);
	await page.waitForSelector('[data-test=children] .el-table__row');
	assert.match(await text(page, '[data-test=dash-area]'), /崂山区/);
	assert.equal(await page.locator('[data-test=children] .el-table__row').count(), 4, 'four streets');
	await page.goto(`${h.base}/dashboard?area_id=${S.comm.id}`);
	await page.waitForSelector('[data-test=children] .el-table__row');
	await page.locator('[data-test=children] .el-table__row').first().click();
	await page.waitForFunction((name) => document.querySelector('[data-test=dash-area]').innerText.startsWith(name), S.grid.name);
	assert.match(page.url(), new RegExp(`area_id=${S.grid.id}`));
	assert.deepEqual(await page.locator('[data-test=crumbs] a').allInnerTexts(), ['崂山区', '中韩街道', S.comm.name, S.grid.name]);
	await page.click(`[data-test=crumb-${COMMUNITY}]`);
	await page.waitForFunction((name) => document.querySelector('[data-test=dash-area]').innerText.startsWith(name), S.comm.name);
	// a community worker's way up ends at its community
	const other = await page.context().browser().newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
	const p2 = await other.newPage();
	await h.login(p2, 'community1');
	await p2.goto(`${h.base}/dashboard`);
	await p2.waitForSelector('[data-test=children] .el-table__row');
	assert.deepEqual(await p2.locator('[data-test=crumbs] a').allInnerTexts(), [S.comm.name]);
	await other.close();
});

h.test('the big screen: 1920×1080, dark, no menus', async (page) => {
	await h.login(page, 'commander');
	await page.goto(`${h.base}/dashboard?screen=big`);
	await page.waitForSelector('[data-test=panels]');
	assert.equal(new URL(page.url()).pathname, '/screen');
	assert.equal(await page.locator('[data-test=logout]').count(), 0, 'no menus or header');
	assert.equal(await page.locator('.el-aside').count(), 0);
	const box = await page.locator('[data-test=dashboard]').boundingBox();
	assert.equal(Math.round(box.width), 1920);
	const bg = await page.locator('[data-test=dashboard]').evaluate((el) => getComputedStyle(el).backgroundColor);
	assert.equal(bg, 'rgb(7, 17, 31)');
	// the panels keep to one row above the map, the map and the curve within the screen
	const panels = await page.locator('[data-test=panels]').boundingBox();
	assert.ok(panels.height < 300 && panels.width <= 1920, JSON.stringify(panels));
	await page.waitForSelector('[data-test=area-map] canvas');
	const map = await page.locator('[data-test=area-map]').boundingBox();
	assert.ok(map.y + map.height <= 1080, JSON.stringify(map));
	await page.click('[data-test=dash-exit]');
	await page.waitForSelector('[data-test=logout]');
	assert.equal(new URL(page.url()).pathname, '/dashboard');
}, { width: 1920, height: 1080 });

h.test('each role lands on its own work: grid worker, building lead, registrar, lab, resident, commander', async (page) => {
	await setUp();
	await h.login(page, 'grid1');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=home-missing-count]');
	for (const p of ['calls', 'missing', 'overdue', 'alerts']) assert.equal(await page.locator(`[data-test=home-${p}]`).count(), 1, p);
	const missing = Number(await text(page, '[data-test=home-missing-count]'));
	assert.ok(S.gridMissing > 0, 'the round over its community has people to sample in grid1');
	assert.equal(missing, S.gridMissing);
	assert.equal(await page.locator('[data-test=home-missing-line]').count(), Math.min(5, missing));
	assert.equal(await page.locator('[data-test=home-command]').count(), 0);
	await h.logout(page);

	await h.login(page, 'building1');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=home-visits-count]');
	const building = must(await (await as('building1')).get(`/api/v1/rounds/${S.round.id}/missing`), 'building missing').missing;
	assert.equal(Number(await text(page, '[data-test=home-visits-count]')), building);
	assert.equal(await page.locator('[data-test=home-runs]').count(), 1);
	await h.logout(page);

	await h.login(page, 'registrar1');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=home-site-line]');
	assert.ok((await page.locator('[data-test=home-site-line]').allInnerTexts()).some((l) => l.includes('大屏测试采样点')));
	assert.match(await text(page, '[data-test=home-round]'), /大屏测试轮/);
	await h.logout(page);

	// a box handed to the courier: the lab's day is to receive it
	const tube = 'DL' + Date.now().toString(36).toUpperCase();
	must(await S.registrar.post(`/api/v1/rounds/${S.round.id}/tubes`, { code: tube, site_id: S.site.id, client_key: key() }), 'lab tube');
	must(await S.registrar.post(`/api/v1/tubes/${tube}/scans`, { id_number: S.people.at(-1).id_number, client_key: key() }), 'lab scan');
	must(await S.registrar.post(`/api/v1/tubes/${tube}/close`), 'close');
	const box = 'BOX-' + tube;
	must(await S.registrar.post('/api/v1/boxes', { code: box, round_id: S.round.id, site_id: S.site.id }), 'box');
	must(await S.registrar.post(`/api/v1/boxes/${box}/tubes`, { tube_code: tube }), 'box tube');
	must(await S.registrar.post(`/api/v1/boxes/${box}/seal`), 'seal');
	must(await S.registrar.post(`/api/v1/boxes/${box}/handover`, { to: '转运员 王师傅' }), 'handover');
	await h.login(page, 'lab1');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=home-boxes-line]');
	assert.ok((await page.locator('[data-test=home-boxes-line]').allInnerTexts()).includes(box));
	assert.equal(await page.locator('[data-test=home-command]').count(), 0);
	await h.logout(page);

	await h.login(page, 'resident1');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=home-qr]');
	await page.waitForSelector('[data-test=home-results-count]');
	await h.logout(page);

	await h.login(page, 'commander');
	await page.goto(`${h.base}/`);
	await page.waitForSelector('[data-test=fig-people-residents]');
	assert.equal(await text(page, '[data-test=fig-people-residents]'), '2,000');
	await page.click('[data-test=home-dashboard]');
	await page.waitForSelector('[data-test=dashboard]');
});
