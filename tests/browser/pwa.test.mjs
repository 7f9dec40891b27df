// The installable app on a field phone: the server hands out the manifest and the service worker
// with the right types (the worker never cached by HTTP); the worker installs and takes the page;
// with the network gone (Playwright's offline mode) the app opens again from what the worker
// keeps, on the registrar's desk with its last rounds and sites, and a scan made offline waits in
// the outbox and reaches the server once when the network is back. A delivery run opened once
// opens again offline with its households, and a sign-off made then is sent on return; so does
// the door-to-door page with its call-ups, a building's call-up marked done offline, and the
// gate with its checkpoint and the day's log, a pass made offline.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode, makeId, phoneFor } from '../api/lib/harness.mjs';

const h = browserHarness('pwa', { serviceWorker: true });
const COMMUNITY = '370212001001';
const BUILDING = '370212001001G01B01';
const KEYS = ['P-01', 'P-02', 'P-03'];
const fx = {};

async function as(username) {
	const c = new Client(h.base, username);
	assert.equal((await c.login(username)).status, 200, `login ${username}`);
	return c;
}

function shanghaiDay() {
	return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/* An open round over community1's community with a site where registrar1 works, residents to
 * scan, and a delivery run of three households for volunteer1. */
const setup = once(async () => {
	const commander = await as('commander');
	const admin = await as('admin');
	const community = await as('community1');
	const area = await areaByCode(commander, COMMUNITY);
	fx.round = ok(await commander.post('/api/v1/rounds', {
		name: '离线测试轮次', area_ids: [area.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 12 * 3600e3).toISOString(),
	}));
	ok(await commander.post(`/api/v1/rounds/${fx.round.id}/open`));
	fx.site = ok(await commander.post('/api/v1/sites', { area_id: area.id, code: 'SITE-PWA-1', name: '离线采样点', kind: 'fixed', desks: 1 }));
	const registrar = ok(await admin.get('/api/v1/users', { query: { limit: 200 } })).items.find((u) => u.username === 'registrar1');
	ok(await commander.req('PUT', `/api/v1/sites/${fx.site.id}/registrars`, { json: { user_ids: [registrar.id] } }));
	const people = ok(await community.get('/api/v1/people', { query: { area_id: area.id, limit: 100 } })).items;
	fx.people = people.filter((p) => /^\d{17}[\dX]$/.test(p.id_number));
	assert.ok(fx.people.length >= 3, 'residents with ID numbers to scan');
	const building = await areaByCode(community, BUILDING);
	for (const [i, key] of KEYS.entries())
		ok(await community.post('/api/v1/people', {
			name: `离线${i + 1}`, id_type: 'resident', id_number: makeId('19760101', 700 + i), phone: phoneFor(700 + i),
			area_id: building.id, household: key, residence: 'permanent', tags: [],
		}));
	fx.run = ok(await community.post('/api/v1/deliveries/runs', { area_id: building.id, day: shanghaiDay(), households: KEYS }));
	fx.building = building;
	fx.cp = ok(await community.post('/api/v1/checkpoints', { area_id: area.id, code: 'CP-PWA-1', name: '离线北门' }));
	ok(await community.req('PUT', `/api/v1/checkpoints/${fx.cp.id}/staff`, { json: { usernames: ['volunteer1'] } }));
	const start = Date.now() + 3600e3;
	ok(await community.req('PUT', `/api/v1/rounds/${fx.round.id}/callups`, { json: { items: [
		{ area_id: building.id, slot_start: new Date(start).toISOString(), slot_end: new Date(start + 3600e3).toISOString() }] } }));
	fx.commander = commander;
	fx.community = community;
});

/* Waits until the service worker is active (its precache filled) and controls the page. */
async function workerInCharge(page) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const state = await page.evaluate(async () => {
			const reg = await navigator.serviceWorker.getRegistration();
			return reg && reg.active ? `${reg.active.state}/${!!navigator.serviceWorker.controller}` : 'none';
		});
		if (state === 'activated/true') return;
		assert.ok(Date.now() < deadline, `the service worker is not in charge: ${state}`);
		await page.waitForTimeout(200);
	}
}

async function wedge(page, code) {
	await page.keyboard.type(code, { delay: 2 });
	await page.keyboard.press('Enter');
}

const text = (page, sel) => page.locator(sel).innerText();

h.test('the server hands out the manifest and the service worker as an app needs them', async (page) => {
	const sw = await fetch(h.base + '/sw.js');
	assert.equal(sw.status, 200);
	assert.match(sw.headers.get('content-type'), /^text\/javascript/);
	assert.equal(sw.headers.get('cache-control'), 'no-cache', 'a new worker must be seen at once');
	assert.match(await sw.text(), /precacheAndRoute/);
	const mf = await fetch(h.base + '/manifest.webmanifest');
	assert.equal(mf.status, 200);
	assert.match(mf.headers.get('content-type'), /^application\/manifest\+json/);
	const manifest = await mf.json();
	assert.equal(manifest.display, 'standalone');
	assert.equal(manifest.start_url, '/');
	const sizes = manifest.icons.map((i) => i.sizes);
	assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), `icons: ${sizes}`);
	for (const icon of manifest.icons) {
		const r = await fetch(h.base + icon.src);
		assert.equal(r.status, 200, icon.src);
		assert.equal(r.headers.get('content-type'), icon.type, icon.src);
	}
	assert.equal((await fetch(h.base + '/no-such-worker.js')).status, 404, 'a missing script is no page of the app');

	await page.goto(h.base + '/login');
	assert.equal(await page.getAttribute('link[rel=manifest]', 'href'), '/manifest.webmanifest');
	await workerInCharge(page);
	const precached = await page.evaluate(async () => {
		const names = await caches.keys();
		const urls = [];
		for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
		return urls;
	});
	assert.ok(precached.some((u) => u.startsWith('/index.html')), 'the shell is precached');
	assert.ok(precached.some((u) => /\/assets\/RegistrarPage-.*\.js/.test(u)), 'the registrar screen is precached');
	assert.ok(!precached.some((u) => u.startsWith('/api/')), 'no API reply in the worker\'s caches');
}, PHONE);

h.test('offline, the registrar desk opens on its last lists and an offline scan is sent on return', async (page) => {
	await setup();
	await h.login(page, 'registrar1');
	await page.goto(h.base + '/testing/register');
	await page.waitForSelector('[data-test=scan-input]');
	await page.waitForFunction(() => document.querySelector('[data-test=desk-round]').value !== '' &&
		document.querySelector('[data-test=desk-site]').value !== '');
	await workerInCharge(page);
	await wedge(page, 'TUBE-PWA-0001');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');

	await page.context().setOffline(true);
	await page.reload(); // the app opens with no network at all
	await page.waitForSelector('[data-test=desk]');
	await page.waitForSelector('[data-test=kept-note]');
	assert.equal(await text(page, '[data-test=net]'), '离线');
	const roundText = await page.locator('[data-test=desk-round] option:checked').innerText();
	assert.equal(roundText, '离线测试轮次', 'the round from the kept list');
	const siteText = await page.locator('[data-test=desk-site] option:checked').innerText();
	assert.match(siteText, /离线采样点/, 'the site from the kept list');
	assert.match(await text(page, '[data-test=tube] .tube-code'), /TUBE-PWA-0001/);

	const a = fx.people[0];
	await page.click('[data-test=scan-input]');
	await wedge(page, a.id_number);
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 1');
	assert.equal(await text(page, '[data-test=tube-count]'), '1/10');
	assert.equal(ok(await fx.commander.get('/api/v1/tubes/TUBE-PWA-0001')).n, 0, 'nothing reached the server offline');

	await page.context().setOffline(false);
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 0', null, { timeout: 30_000 });
	await page.waitForFunction((name) => [...document.querySelectorAll('[data-test=tube-name]')].some((e) => e.innerText === name), a.name);
	const tube = ok(await fx.commander.get('/api/v1/tubes/TUBE-PWA-0001'));
	assert.equal(tube.n, 1, 'the offline scan counted once');
	assert.deepEqual(tube.samples.map((s) => String(s.person_id)), [String(a.id)]);
	await page.waitForFunction(() => !document.querySelector('[data-test=kept-note]'), null, { timeout: 20_000 });
}, PHONE);

h.test('a delivery run opened once opens again offline, and a sign-off made then is sent on return', async (page) => {
	await setup();
	await h.login(page, 'volunteer1');
	await page.goto(`${h.base}/deliveries/runs/${fx.run.id}`);
	await page.waitForSelector(`[data-test=sign-${KEYS[0]}-delivered]`);
	await workerInCharge(page);

	await page.context().setOffline(true);
	await page.reload();
	await page.waitForSelector('[data-test=kept-note]');
	for (const key of KEYS) await page.waitForSelector(`[data-test=household-${key}]`);
	await page.click(`[data-test=sign-${KEYS[1]}-delivered]`);
	await page.waitForFunction(() => document.querySelector('[data-test=delivery-queued]').innerText === '待发送 1');
	assert.equal(await text(page, `[data-test=outcome-${KEYS[1]}]`), '已送达');
	assert.equal(ok(await fx.community.get(`/api/v1/deliveries/runs/${fx.run.id}`)).done, 0);

	await page.context().setOffline(false);
	await page.waitForFunction(() => document.querySelector('[data-test=delivery-queued]').innerText === '待发送 0', null, { timeout: 30_000 });
	const run = ok(await fx.community.get(`/api/v1/deliveries/runs/${fx.run.id}`));
	assert.equal(run.done, 1);
	assert.equal(run.households.find((x) => x.key === KEYS[1]).outcome, 'delivered');
}, PHONE);

h.test('the door-to-door page opens offline on its call-ups, and a call-up marked done then is sent on return', async (page) => {
	await setup();
	await h.login(page, 'grid1');
	await page.goto(`${h.base}/testing/door`);
	await page.click('.van-tab:has-text("叫号")');
	await page.waitForSelector('[data-test=callup-done]');
	await workerInCharge(page);

	await page.context().setOffline(true);
	await page.reload();
	await page.waitForSelector('[data-test=kept-note]');
	await page.click('.van-tab:has-text("叫号")');
	await page.click('[data-test=callup-done]');
	await page.waitForFunction(() => document.querySelector('[data-test=door-queued]').innerText === '待发送 1');
	const callup = async () => ok(await fx.community.get(`/api/v1/rounds/${fx.round.id}/callups`)).items.find((x) => String(x.area_id) === String(fx.building.id));
	assert.equal((await callup()).done, false, 'nothing reached the server offline');

	await page.context().setOffline(false);
	await page.waitForFunction(() => document.querySelector('[data-test=door-queued]').innerText === '待发送 0', null, { timeout: 30_000 });
	assert.equal((await callup()).done, true);
	await page.waitForSelector('[data-test=callup-done]', { state: 'detached' });
}, PHONE);

/* One person through the gate: the ID typed + Enter, 36.5 on the pad, one tap. */
async function passOne(page, person) {
	await page.fill('[data-test=gate-input]', person.id_number);
	await page.press('[data-test=gate-input]', 'Enter');
	for (const k of '36.5') await page.click(`[data-test="pad-${k}"]`);
	await page.click('[data-test=gate-pass]');
}

h.test('the gate opens offline on its checkpoint and the day\'s log, and a pass made then is sent on return', async (page) => {
	await setup();
	const [first, second] = [fx.people[1], fx.people[2]];
	await h.login(page, 'volunteer1');
	await page.goto(h.base + '/gates');
	await page.waitForFunction(() => document.querySelector('[data-test=gate-checkpoint]')?.value !== '');
	await passOne(page, first);
	await page.waitForFunction((name) => document.querySelector('[data-test=gate-log]')?.innerText.includes(name), first.name);
	await workerInCharge(page);

	await page.context().setOffline(true);
	await page.reload();
	await page.waitForSelector('[data-test=kept-note]');
	assert.match(await page.locator('[data-test=gate-checkpoint] option:checked').innerText(), /离线北门/);
	assert.match(await text(page, '[data-test=gate-log]'), new RegExp(first.name), 'the day\'s log as last fetched');
	await passOne(page, second);
	await page.waitForFunction(() => document.querySelector('[data-test=gate-queued]').innerText === '待发送 1');
	const passesIn = async () => ok(await fx.community.get(`/api/v1/checkpoints/${fx.cp.id}/passes`)).counts.in;
	assert.equal(await passesIn(), 1, 'nothing reached the server offline');

	await page.context().setOffline(false);
	await page.waitForFunction(() => document.querySelector('[data-test=gate-queued]').innerText === '待发送 0', null, { timeout: 30_000 });
	assert.equal(await passesIn(), 2, 'the offline pass counted once');
	await page.waitForFunction((name) => document.querySelector('[data-test=gate-log]')?.innerText.includes(name), second.name);
}, PHONE);

h.test('logging out forgets the lists kept on the phone', async (page) => {
	await setup();
	await h.login(page, 'registrar1');
	await page.goto(h.base + '/testing/register');
	await page.waitForSelector('[data-test=scan-input]');
	await page.waitForFunction(() => document.querySelector('[data-test=desk-round]').value !== '');
	const before = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fk.kept')));
	assert.ok(before.length >= 2, `kept: ${before}`);
	await h.logout(page);
	const after = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fk.kept')));
	assert.deepEqual(after, []);
}, PHONE);
