// Testing-round screens in a real browser: a registrar on a phone fills a tube with 10 scans
// typed into the scanner input and sees it close at 10/10; a scan made offline waits in the
// queue and lands exactly once when the connection is back, also when the first reply is lost;
// a person already in another tube is refused with the server's message; undo; the coverage
// page counts new scans within seconds (the scans' "coverage" pulse, not the poll) and shows a
// positive pool live; the lab receives a box, records a result and reads a plate file's bad
// rows without seeing a name; the camera (Chromium's fake camera playing a resident's QR code)
// scans a person into a tube.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { browserHarness, PHONE, once } from './lib/browser.mjs';
import { Client, areaByCode } from '../api/lib/harness.mjs';

const h = browserHarness('testing');
const COMMUNITY = '370212001001';
// Chromium with a fake camera that plays a video file, and camera permission granted.
const CAMERA_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
	'--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const api = {}; // logged-in API clients by username
const fx = {}; // the round, the site and the residents the tests use

async function login(username) {
	const c = new Client(h.base, username);
	const r = await c.login(username);
	assert.equal(r.status, 200, r.what);
	api[username] = c;
	return c;
}

function ok(r, status = [200, 201]) {
	assert.ok(status.includes(r.status), r.what);
	return r.json;
}

/* A round over community1's community, open, and a site there with registrar1 bound. Made by
 * the first test that needs it (node 20 runs top-level before hooks side by side, so this
 * cannot be one: the server may not be up yet). */
const setup = once(makeFixtures);
async function makeFixtures() {
	const commander = await login('commander');
	const admin = await login('admin');
	const community = await login('community1');
	await login('registrar1');
	const area = await areaByCode(commander, COMMUNITY);
	const deadline = new Date(Date.now() + 12 * 3600e3).toISOString();
	fx.round = ok(await commander.post('/api/v1/rounds', { name: '浏览器测试轮次', area_ids: [area.id], deadline_at: deadline, pool_size: 10 }));
	ok(await commander.post(`/api/v1/rounds/${fx.round.id}/open`));
	fx.site = ok(await commander.post('/api/v1/sites', { area_id: area.id, code: 'SITE-WEB-1', name: '社区广场采样点', kind: 'fixed', desks: 2 }));
	const users = ok(await admin.get('/api/v1/users', { query: { limit: 200 } })).items;
	const registrar = users.find((u) => u.username === 'registrar1');
	ok(await commander.req('PUT', `/api/v1/sites/${fx.site.id}/registrars`, { json: { user_ids: [registrar.id] } }));
	// Community staff see full ID numbers: the registrar types them as a scanner would.
	const people = ok(await community.get('/api/v1/people', { query: { area_id: area.id, limit: 100 } })).items;
	fx.people = people.filter((p) => /^\d{17}[\dX]$/.test(p.id_number));
	assert.ok(fx.people.length >= 20, `community ${COMMUNITY} has only ${fx.people.length} residents with ID numbers`);
	fx.area = area;
}

async function tube(code) {
	return ok(await api.commander.get(`/api/v1/tubes/${encodeURIComponent(code)}`), [200]);
}

async function openDesk(page) {
	await setup();
	await openDeskOn(page);
}

async function openDeskOn(page) {
	await h.login(page, 'registrar1');
	await page.goto(h.base + '/testing/register');
	await page.waitForSelector('[data-test=scan-input]');
	// the only round and the only site bound to registrar1 are chosen by themselves
	await page.waitForFunction(() => document.querySelector('[data-test=desk-round]').value !== '' &&
		document.querySelector('[data-test=desk-site]').value !== '');
}

/* Types a code into the focused scanner input and presses Enter, as a wedge scanner does. */
async function wedge(page, code) {
	await page.keyboard.type(code, { delay: 2 });
	await page.keyboard.press('Enter');
}

const text = (page, sel) => page.locator(sel).innerText();

h.test('a registrar fills a tube with 10 scans and sees it close at 10/10', async (page) => {
	await openDesk(page);
	assert.equal(await page.evaluate(() => document.activeElement.dataset.test), 'scan-input', 'the scanner input has the focus');
	await wedge(page, 'TUBE-WEB-0001');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');
	const ten = fx.people.slice(0, 10);
	for (const p of ten) await wedge(page, p.id_number);
	await page.waitForFunction(() => document.querySelector('[data-test=tube-count]').innerText === '10/10');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '已封管');
	assert.equal(await text(page, '[data-test=queued]'), '待发送 0');
	const names = await page.locator('[data-test=tube-name]').allInnerTexts();
	assert.deepEqual(names.slice().sort(), ten.map((p) => p.name).sort());
	const t = await tube('TUBE-WEB-0001');
	assert.equal(t.status, 'closed');
	assert.equal(t.n, 10);
	assert.deepEqual(t.samples.map((s) => String(s.person_id)).sort(), ten.map((p) => String(p.id)).sort());
	// an 11th resident needs a new tube
	await wedge(page, fx.people[10].id_number);
	await page.waitForSelector('[data-test=desk-message].bad');
	assert.match(await text(page, '[data-test=desk-message]'), /新试管/);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `the desk is ${overflow}px wider than the phone`);
}, PHONE);

h.test('a person already in another tube is refused with the server\'s message', async (page) => {
	await openDesk(page);
	await wedge(page, 'TUBE-WEB-0002');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');
	await wedge(page, fx.people[0].id_number); // already in TUBE-WEB-0001
	await page.waitForSelector('[data-test=desk-message].bad');
	await page.waitForFunction(() => /TUBE-WEB-0001/.test(document.querySelector('[data-test=desk-message]').innerText));
	assert.equal(await text(page, '[data-test=tube-count]'), '0/10');
	assert.equal((await tube('TUBE-WEB-0002')).n, 0);
}, PHONE);

h.test('a scan made offline waits in the queue and lands exactly once', async (page) => {
	await openDesk(page);
	await wedge(page, 'TUBE-WEB-0003');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');
	const [a, b] = [fx.people[11], fx.people[12]];

	await page.context().setOffline(true);
	await page.waitForFunction(() => document.querySelector('[data-test=net]').innerText === '离线');
	await wedge(page, a.id_number);
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 1');
	assert.equal(await text(page, '[data-test=tube-count]'), '1/10', 'the queued scan counts on the desk');
	await page.waitForTimeout(2500); // the retry timer fires while offline: still queued
	assert.equal(await text(page, '[data-test=queued]'), '待发送 1');
	assert.equal((await tube('TUBE-WEB-0003')).n, 0, 'nothing reached the server while offline');
	await page.context().setOffline(false);
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 0', null, { timeout: 20_000 });
	await page.waitForFunction((name) => [...document.querySelectorAll('[data-test=tube-name]')].some((e) => e.innerText === name), a.name);

	// Now the reply to a scan is lost on the way back: the server has counted it, the phone has
	// not heard. The phone sends it again with the same client key; it must count once.
	const keys = [];
	let first = true;
	await page.route('**/api/v1/tubes/*/scans', async (route) => {
		keys.push(JSON.parse(route.request().postData()).client_key);
		if (first) {
			first = false;
			await route.fetch(); // reaches the server
			await route.abort('connectionreset'); // the reply never arrives
			return;
		}
		await route.continue();
	});
	await wedge(page, b.id_number);
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 0', null, { timeout: 20_000 });
	await page.waitForFunction(() => document.querySelector('[data-test=tube-count]').innerText === '2/10');
	assert.ok(keys.length >= 2, `the lost scan was not sent again (${keys.length} attempts)`);
	assert.ok(keys.every((k) => k === keys[0]), 'every attempt carries the same client key');

	const t = await tube('TUBE-WEB-0003');
	assert.equal(t.n, 2);
	const ids = t.samples.map((s) => String(s.person_id));
	assert.deepEqual(ids.sort(), [String(a.id), String(b.id)].sort(), 'each scan landed exactly once');
	await page.waitForFunction(() => document.querySelectorAll('[data-test=tube-name]').length === 2);
	const names = await page.locator('[data-test=tube-name]').allInnerTexts();
	assert.deepEqual(names.sort(), [a.name, b.name].sort());
}, PHONE);

h.test('undo takes a wrong scan out of the tube', async (page) => {
	await setup();
	// A tube of its own with two scans, made from another phone (the API here).
	const reg = api.registrar1;
	const key = () => `web-undo-${Date.now()}-${Math.random().toString(16).slice(2)}`;
	const [a, b] = fx.people.slice(16, 18);
	ok(await reg.post(`/api/v1/rounds/${fx.round.id}/tubes`, { code: 'TUBE-WEB-0006', site_id: fx.site.id, client_key: key() }));
	for (const p of [a, b]) ok(await reg.post('/api/v1/tubes/TUBE-WEB-0006/scans', { id_number: p.id_number, client_key: key() }));
	await openDeskOn(page);
	await wedge(page, 'TUBE-WEB-0006');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-count]').innerText === '2/10');
	// The names come with the tube's people, which may render after its count.
	await page.waitForFunction(() => document.querySelectorAll('[data-test=tube-name]').length === 2);
	const shown = await page.locator('[data-test=tube-name]').allInnerTexts();
	assert.deepEqual(shown.slice().sort(), [a.name, b.name].sort());
	await page.locator('[data-test=undo]').last().click();
	await page.waitForFunction(() => document.querySelector('[data-test=tube-count]').innerText === '1/10');
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText === '待发送 0');
	await page.waitForFunction(() => document.querySelectorAll('[data-test=tube-name]').length === 1);
	const left = await page.locator('[data-test=tube-name]').allInnerTexts();
	assert.equal(left.length, 1);
	const t = await tube('TUBE-WEB-0006');
	assert.equal(t.n, 1);
	assert.deepEqual(t.samples.map((x) => x.name), left, 'the server kept the one the desk shows');
}, PHONE);

h.test('the coverage page counts new scans from the event stream, not the poll', async (page) => {
	await setup();
	const sampledNow = async () =>
		ok(await api.commander.get(`/api/v1/rounds/${fx.round.id}/coverage`, { query: { area_id: fx.area.id } }), [200]).totals.sampled;
	// The page's own clock is the test's: its 10 s poll fires only when the test moves time. The
	// coverage events the page receives are counted beside the app's own listener.
	await page.addInitScript(() => {
		const Real = window.EventSource;
		window.__coverageEvents = 0;
		window.EventSource = class extends Real {
			constructor(...args) {
				super(...args);
				this.addEventListener('coverage', () => window.__coverageEvents++);
			}
		};
	});
	await page.clock.install();
	await h.login(page, 'community1');
	await page.goto(`${h.base}/testing/coverage?round=${fx.round.id}`);
	const before = await sampledNow();
	const sampled = (n) => page.waitForFunction((m) =>
		Number(document.querySelector('[data-test=total-sampled]')?.innerText.replace(/\D/g, '') || NaN) === m, n, { polling: 50 });
	await page.waitForSelector('[data-test=total-sampled]');
	await sampled(before);
	await page.waitForFunction(() => document.querySelector('[data-test=live]').innerText === '实时', null, { polling: 50 });
	const expected = Number((await text(page, '[data-test=total-expected]')).replace(/\D/g, ''));
	assert.ok(expected >= fx.people.length);
	// Stop the page's time, then let one poll pass: the next is 10 s of page time away, and the
	// steps below move it by 1.9 s, so whatever the page shows after them came from the stream.
	await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
	const polled = page.waitForResponse((r) => /\/coverage\b/.test(new URL(r.url()).pathname));
	await page.clock.runFor(10_000);
	await polled;
	await sampled(before);

	// The registrar scans two more residents from its own phone (the API here).
	const reg = api.registrar1;
	const key = () => `web-${Date.now()}-${Math.random().toString(16).slice(2)}`;
	ok(await reg.post(`/api/v1/rounds/${fx.round.id}/tubes`, { code: 'TUBE-WEB-0004', site_id: fx.site.id, client_key: key() }));
	const [p1, p2] = fx.people.slice(13, 15);
	ok(await reg.post('/api/v1/tubes/TUBE-WEB-0004/scans', { id_number: p1.id_number, client_key: key() }));
	// The scan pulses "coverage"; the page refreshes 0.6 s (its debounce) after the event.
	await page.waitForFunction(() => window.__coverageEvents >= 1, null, { polling: 50 });
	await page.clock.runFor(600);
	await sampled(before + 1);
	// A second scan inside the pulse's second sends no event of its own: the one more refresh
	// 1.3 s after the last pulse shows it.
	ok(await reg.post('/api/v1/tubes/TUBE-WEB-0004/scans', { id_number: p2.id_number, client_key: key() }));
	await page.clock.runFor(1300);
	await sampled(before + 2);
	assert.equal(await sampledNow(), before + 2);
	const missing = Number((await text(page, '[data-test=total-missing]')).replace(/\D/g, ''));
	assert.equal(missing, expected - before - 2);
	await page.clock.resume();

	// drill down to a building and read who is missing there
	await page.locator('[data-test=coverage-table] .el-table__row').first().click();
	await page.waitForSelector('[data-test=coverage-table] .el-table__row');
	const summary = page.locator('[data-test=summary-button]');
	await summary.click();
	await page.waitForSelector('[data-test=summary]');
	assert.ok((await text(page, '[data-test=summary]')).length > 0);
});

/* Registrar1 puts closed tubes into a box, seals it and hands it to a courier. */
async function boxFor(code, tubes) {
	const reg = api.registrar1;
	ok(await reg.post('/api/v1/boxes', { code, round_id: fx.round.id, site_id: fx.site.id }));
	for (const t of tubes) ok(await reg.post(`/api/v1/boxes/${code}/tubes`, { tube_code: t }));
	ok(await reg.post(`/api/v1/boxes/${code}/seal`));
	ok(await reg.post(`/api/v1/boxes/${code}/handover`, { to: '转运员' }));
}

h.test('the lab receives a box, records a result and reads a plate file\'s bad rows, seeing no names', async (page) => {
	await setup();
	await boxFor('BOX-WEB-1', ['TUBE-WEB-0001']);
	await h.login(page, 'lab1');
	await page.goto(h.base + '/testing/lab');
	await page.waitForSelector('[data-test=boxes-handed] .el-table__row');
	await page.fill('[data-test=box-code]', 'BOX-WEB-1');
	await page.click('[data-test=box-receive]');
	await page.waitForSelector('[data-test=box]');
	assert.match(await text(page, '[data-test=box]'), /TUBE-WEB-0001/);
	assert.match(await text(page, '[data-test=box]'), /已接收/);

	await page.fill('[data-test=result-tube]', 'TUBE-WEB-0001');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => /✓/.test(document.querySelector('[data-test=results-recent] .el-table__row')?.innerText || ''));
	assert.equal((await tube('TUBE-WEB-0001')).result, 'negative');

	// a result for a tube never received is refused, and says so
	await page.fill('[data-test=result-tube]', 'TUBE-WEB-0003');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('[data-test=results-recent] .el-table__row .error'));

	const csv = 'tube_code,result\nTUBE-WEB-0001,阴性\nNO-SUCH-TUBE,阴性\nTUBE-WEB-0001,maybe\n';
	await page.setInputFiles('[data-test=plate-file]', { name: 'plate.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.click('[data-test=plate-upload]');
	await page.waitForSelector('[data-test=plate-report]');
	assert.equal(await text(page, '[data-test=plate-total]'), '3');
	assert.equal(await text(page, '[data-test=plate-failed]'), '2');
	const rows = await page.locator('[data-test=plate-errors] .el-table__row').allInnerTexts();
	assert.equal(rows.length, 2);
	assert.match(rows[0], /^3\s/);
	assert.match(rows[1], /^4\s/);

	const body = await page.locator('body').innerText();
	for (const p of fx.people.slice(0, 10)) assert.ok(!body.includes(p.name), `the lab page shows the name ${p.name}`);
});

h.test('a positive pool reaches the command centre live, without a reload', async (page) => {
	await setup();
	ok(await api.registrar1.post('/api/v1/tubes/TUBE-WEB-0004/close'));
	await boxFor('BOX-WEB-2', ['TUBE-WEB-0004']);
	await h.login(page, 'commander');
	await page.goto(`${h.base}/testing/coverage?round=${fx.round.id}`);
	await page.waitForSelector('[data-test=total-positive]');
	await page.waitForFunction(() => document.querySelector('[data-test=live]').innerText === '实时');
	assert.equal(await page.locator('[data-test=alert]').count(), 0);
	const lab = await login('lab1');
	ok(await lab.post('/api/v1/boxes/BOX-WEB-2/receive'));
	ok(await lab.post('/api/v1/tubes/TUBE-WEB-0004/result', { result: 'positive', client_key: `web-pos-${Date.now()}` }));
	// The event stream brings it well inside the 10 s poll.
	await page.waitForSelector('[data-test=alert]', { timeout: 6000 });
	const alerts = await page.locator('[data-test=alert]').allInnerTexts();
	assert.ok(alerts.length >= 1 && alerts.every((a) => /TUBE-WEB-0004/.test(a)), alerts.join('\n'));
	await page.waitForFunction(() => document.querySelector('[data-test=total-positive]').innerText === '2', null, { timeout: 6000 });
});

/* A Y4M video (what Chromium's fake camera plays) showing the QR code of an SVG from
 * GET /people/{id}/qr.svg: black modules drawn as "M x y h w v 1 h -w z" runs on a white
 * field, scaled up and centred. */
function qrVideo(svg, width = 640, height = 480) {
	const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)[1]);
	const scale = Math.floor(Math.min(width, height) * 0.8 / size);
	const x0 = Math.floor((width - size * scale) / 2);
	const y0 = Math.floor((height - size * scale) / 2);
	const luma = Buffer.alloc(width * height, 255);
	const d = /<path[^>]* d="([^"]+)"/.exec(svg)[1];
	for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
		const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
		for (let row = 0; row < scale; row++) {
			const at = (y0 + y * scale + row) * width + x0 + x * scale;
			luma.fill(0, at, at + w * scale);
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
	return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`), frame, frame, frame, frame, frame]);
}

test('the camera reads a resident\'s sampling code into the tube', async () => {
	await setup();
	const person = fx.people[15];
	const svg = await api['community1'].get(`/api/v1/people/${person.id}/qr.svg`);
	assert.equal(svg.status, 200, svg.what);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-camera-'));
	const video = path.join(dir, 'qr.y4m');
	fs.writeFileSync(video, qrVideo(svg.text));
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, env: { ...process.env, HOME: dir },
		args: [...CAMERA_FLAGS, `--use-file-for-fake-video-capture=${video}`] });
	const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', permissions: ['camera'] });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	try {
		await openDeskOn(page);
		await wedge(page, 'TUBE-WEB-0005');
		await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');
		const scripts = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\.js$/.test(e.name)).map((e) => e.name));
		const before = await scripts();
		await page.click('[data-test=camera]');
		await page.waitForFunction((name) => [...document.querySelectorAll('[data-test=tube-name]')].some((e) => e.innerText === name), person.name, { timeout: 20_000 });
		assert.equal(await text(page, '[data-test=tube-count]'), '1/10', 'the code held in front of the camera counts once');
		assert.equal((await tube('TUBE-WEB-0005')).n, 1);
		const loaded = (await scripts()).filter((n) => !before.includes(n));
		assert.ok(loaded.length > 0, 'the barcode library is loaded only when the camera is switched on');
		await page.click('[data-test=camera]'); // off again
	} catch (e) {
		fs.mkdirSync(path.resolve('test-results'), { recursive: true });
		await page.screenshot({ path: path.resolve('test-results', 'testing-camera.png') }).catch(() => {});
		throw e;
	} finally {
		await browser.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

h.test('community staff bind a registrar to a site by picking the username; it survives a reload', async (page) => {
	await setup();
	const community = api.community1;
	const site = ok(await community.post('/api/v1/sites', { area_id: fx.area.id, code: 'SITE-WEB-REG', name: '登记员绑定测试点', kind: 'fixed', desks: 1 }));
	const openSite = async () => {
		await page.goto(h.base + '/testing/sites');
		await page.locator('[data-test=sites-table] .el-table__row', { hasText: 'SITE-WEB-REG' }).click();
		await page.waitForSelector('[data-test=site-detail] h3:has-text("登记员绑定测试点")');
	};
	await h.login(page, 'community1');
	await openSite();
	// A typed name that is no account is refused, naming it, and binds no one.
	await page.click('[data-test=site-registrars]');
	await page.keyboard.type('nobody9');
	await page.keyboard.press('Enter');
	await page.click('[data-test=site-registrars-save]');
	await page.waitForSelector('[data-test=site-detail-error]:has-text("nobody9")');
	assert.deepEqual(ok(await community.get(`/api/v1/sites/${site.id}`)).registrars, []);
	await page.click('[data-test=site-registrars] .el-tag__close');
	// Picked from the offered accounts, shown with the display name.
	await page.click('[data-test=site-registrars]');
	await page.keyboard.type('regis');
	const option = page.locator('.el-select-dropdown__item:has-text("registrar1") >> visible=true');
	await option.waitFor();
	assert.match(await option.innerText(), /采样点登记员/);
	await option.click();
	await page.click('[data-test=site-registrars-save]');
	await page.waitForSelector('[data-test=site-registrar]:has-text("registrar1")');
	assert.equal(await page.locator('[data-test=site-detail-error]').count(), 0);
	const bound = ok(await community.get(`/api/v1/sites/${site.id}`)).registrars;
	assert.deepEqual(bound.map((u) => u.username), ['registrar1']);
	await page.reload();
	await openSite();
	await page.waitForSelector('[data-test=site-registrar]:has-text("采样点登记员 (registrar1)")');
	assert.match(await text(page, '[data-test=site-registrars]'), /采样点登记员 \(registrar1\)/);
});
