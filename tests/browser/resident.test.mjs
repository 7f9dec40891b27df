// The resident's phone: resident1 (whose account the demo gave its person's number) signs in
// with a one-time code on the login screen's phone tab — the code read from the outbox as the
// admin, as an operator with no SMS gateway would — lands on its page, and sees its sampling QR
// code and its result for a round it was sampled in. A wrong code is shown under the code field;
// the admin reads the outbox screen.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { browserHarness, PASSWORD } from './lib/browser.mjs';
import { Client } from '../api/lib/harness.mjs';

const h = browserHarness('resident');
const S = {};

function must(r, what) {
	assert.ok(r.status < 300, `${what}: ${r.what}`);
	return r.json;
}

async function as(username) {
	const c = new Client(h.base, username);
	must(await c.login(username, PASSWORD), `login ${username}`);
	return c;
}

/* The newest login code sent to phone, read by the admin from the outbox. */
async function codeFor(phone) {
	const items = must(await (await as('admin')).get('/api/v1/outbox', { query: { to: phone } }), 'outbox').items;
	assert.ok(items.length > 0, `no message to ${phone}`);
	const m = /验证码 (\d{6})/.exec(items[0].body);
	assert.ok(m, items[0].body);
	return m[1];
}

/* resident1's person and number, and a round it was sampled in (a tube still at the desk). */
async function setUp() {
	const admin = await as('admin');
	const users = must(await admin.get('/api/v1/users', { query: { role: 'resident' } }), 'users').items;
	const r1 = users.find((u) => u.username === 'resident1');
	const community = await as('community1');
	const person = must(await community.get(`/api/v1/people/${r1.person_id}`), 'person');
	assert.match(person.phone, /^1\d{10}$/);
	const commander = await as('commander');
	const find = async (code) => must(await commander.get('/api/v1/areas', { query: { q: code } }), code).items.find((a) => a.code === code);
	const comm = await find('370212001001');
	const round = must(await commander.post('/api/v1/rounds', {
		name: '居民页测试轮', area_ids: [comm.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 20 * 3600e3).toISOString(),
	}), 'round');
	must(await commander.post(`/api/v1/rounds/${round.id}/open`), 'open');
	const site = must(await community.post('/api/v1/sites', {
		area_id: comm.id, code: 'RS' + Date.now().toString(36), name: '居民页采样点', kind: 'fixed', desks: 1,
	}), 'site');
	const reg = must(await admin.get('/api/v1/users'), 'all users').items.find((u) => u.username === 'registrar1');
	must(await community.req('PUT', `/api/v1/sites/${site.id}/registrars`, { json: { user_ids: [reg.id] } }), 'registrars');
	const code = must(await community.get(`/api/v1/people/${r1.person_id}/sampling-code`), 'code').code;
	const registrar = await as('registrar1');
	const tube = 'RT' + Date.now().toString(36).toUpperCase();
	must(await registrar.post(`/api/v1/rounds/${round.id}/tubes`, { code: tube, site_id: site.id, client_key: `k-${randomUUID()}` }), 'tube');
	must(await registrar.post(`/api/v1/tubes/${tube}/scans`, { person_code: code, client_key: `k-${randomUUID()}` }), 'scan');
	Object.assign(S, { person, round, phone: person.phone });
}

h.test('a resident signs in by phone code and sees its QR code and results', async (page) => {
	await setUp();
	await page.goto(h.base + '/login');
	await page.click('[data-test=login-tab-code]');
	await page.fill('[data-test=login-phone]', S.phone);
	await page.click('[data-test=login-send]');
	await page.waitForSelector('[data-test=login-sent]');
	// The button counts down before another code may be asked for.
	assert.match(await page.textContent('[data-test=login-send]'), /\d+ 秒后重发/);
	assert.ok(await page.isDisabled('[data-test=login-send]'));
	const code = await codeFor(S.phone);
	const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
	await page.fill('[data-test=login-code]', wrong);
	await page.click('[data-test=login-submit]');
	await page.waitForSelector('[data-test=login-code-error]');
	assert.match(await page.textContent('[data-test=login-code-error]'), /还可再试 4 次/);
	await page.fill('[data-test=login-code]', code);
	await page.click('[data-test=login-submit]');
	await page.waitForSelector('[data-test=me]');
	assert.match(page.url(), /\/me$/);
	// The QR code is the sampling code's image, loaded.
	const qr = page.locator('[data-test=me-qr]');
	await qr.waitFor();
	assert.equal(await qr.getAttribute('src'), `/api/v1/people/${S.person.id}/qr.svg`);
	await page.waitForFunction(() => {
		const img = document.querySelector('[data-test=me-qr]');
		return img && img.complete && img.naturalWidth > 0;
	});
	// Its round, the sample still waiting for the lab.
	const row = page.locator(`[data-test=me-round-${S.round.id}]`);
	await row.waitFor();
	assert.match(await row.textContent(), /居民页测试轮/);
	assert.equal((await page.textContent(`[data-test=me-result-${S.round.id}]`)).trim(), '待出结果');
	assert.ok(await page.isVisible('[data-test=me-requests]'));
	assert.equal(await page.locator('[data-test=me-health]').count(), 0, 'not under a placement: no health link');
}, { width: 390, height: 844 });

h.test('the admin reads the outbox screen', async (page) => {
	await h.login(page, 'admin');
	await page.goto(h.base + '/outbox');
	await page.waitForSelector('[data-test=outbox-table] .el-table__row');
	assert.match(await page.textContent('[data-test=outbox-table]'), /登录验证码/);
	assert.match(await page.textContent('[data-test=outbox-table]'), new RegExp(S.phone));
});

h.test('the admin makes accounts for a grid\'s residents from the users screen', async (page) => {
	const code = '370212001002G01';
	await h.login(page, 'admin');
	await page.goto(h.base + '/users');
	await page.click('[data-test=residents-open]');
	await page.click('[data-test=residents-area]');
	await page.keyboard.type(code);
	const option = page.locator('.el-select-dropdown__item', { hasText: new RegExp(` ${code}$`) });
	await option.first().click();
	await page.click('[data-test=residents-run]');
	await page.waitForSelector('[data-test=residents-result]');
	const created = Number(await page.textContent('[data-test=residents-created]'));
	assert.ok(created > 0, 'the grid\'s residents with phones got accounts');
	assert.equal(Number(await page.textContent('[data-test=residents-existing]')), 0);
	// Again: nothing more is made, what was made is now existing.
	await page.click('[data-test=residents-run]');
	await page.waitForFunction((n) => document.querySelector('[data-test=residents-existing]')?.textContent.trim() === String(n), created);
	assert.equal(Number(await page.textContent('[data-test=residents-created]')), 0);
});
