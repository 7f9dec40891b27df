// The workforce on screen: a volunteer opens a call-out's public link on a phone (no login), is
// told a wrong mobile number on its field, then signs up; the call-out, now full, tells the next
// visitor so and takes no form; the community worker finds the sign-up on the call-out's page
// (its QR code loaded), accepts it and dispatches the volunteer to a building by its code; the
// volunteer is then put on a shift at the community's checkpoint through the roster screen.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode } from '../api/lib/harness.mjs';
import { openRoster, addShift } from './lib/roster.mjs';

const h = browserHarness('workforce');
const fx = {};

const setup = once(makeFixtures);
async function makeFixtures() {
	fx.community = new Client(h.base, 'community1');
	assert.equal((await fx.community.login('community1')).status, 200);
	fx.area = await areaByCode(fx.community, '370212001001');
	fx.callout = ok(await fx.community.post('/api/v1/callouts', {
		title: '核酸采样点志愿者', area_id: fx.area.id, wanted: 1, skills: ['sampler'], place_text: '社区广场采样点',
	}));
}

h.test('a volunteer signs up through the public link on a phone, with no login', async (page) => {
	await setup();
	await page.goto(h.base + fx.callout.public_url);
	await page.waitForSelector('[data-test=signup-title]');
	assert.equal(await page.textContent('[data-test=signup-title]'), '核酸采样点志愿者');
	assert.equal(await page.locator('[data-test=logout]').count(), 0, 'the public page shows the staff layout');
	assert.match(await page.textContent('[data-test=signup-count]'), /0 \/ 1/);
	const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(width <= 0, `the form is ${width}px wider than the phone`);
	await page.fill('[data-test=signup-name] input', '志愿者浏览器');
	await page.fill('[data-test=signup-phone] input', '1390000');
	await page.click('[data-test=signup-skill-sampler]');
	await page.click('[data-test=signup-submit]');
	await page.waitForSelector('[data-test=signup-error]');
	assert.match(await page.textContent('[data-test=signup-error]'), /手机号/);
	await page.fill('[data-test=signup-phone] input', '13900008888');
	await page.click('[data-test=signup-submit]');
	await page.waitForSelector('[data-test=signup-done]');
	assert.match(await page.textContent('[data-test=signup-done]'), /报名成功/);
	const signups = ok(await fx.community.get(`/api/v1/callouts/${fx.callout.id}/signups`)).items;
	assert.deepEqual(signups.map((s) => [s.worker.name, s.worker.kind, s.worker.skills]), [['志愿者浏览器', 'volunteer', ['sampler']]]);
	fx.signup = signups[0];
}, PHONE);

h.test('a full call-out tells the next visitor so and takes no form', async (page) => {
	await setup();
	await page.goto(h.base + fx.callout.public_url);
	await page.waitForSelector('[data-test=signup-full]');
	assert.equal(await page.locator('[data-test=signup-submit]').count(), 0);
	await page.goto(h.base + '/v/' + '0'.repeat(48));
	await page.waitForSelector('[data-test=signup-load-error]');
	assert.match(await page.textContent('[data-test=signup-load-error]'), /无效/);
}, PHONE);

h.test('the community worker accepts the sign-up and dispatches the volunteer', async (page) => {
	await setup();
	assert.ok(fx.signup, 'the sign-up test did not run first');
	await h.login(page, 'community1');
	await page.goto(h.base + '/callouts');
	await page.click('[data-test=callouts-table] >> text=核酸采样点志愿者');
	await page.waitForSelector('[data-test=signups-table] >> text=志愿者浏览器');
	assert.equal(await page.locator('[data-test=callout-qr]').evaluate((img) => img.complete && img.naturalWidth > 0), true,
		'the QR code did not load');
	assert.match(await page.textContent('[data-test=callout-link]'), /\/v\/[0-9a-f]{48}$/);
	await page.click(`[data-test=accept-${fx.signup.id}]`);
	await page.waitForSelector(`[data-test=dispatch-${fx.signup.id}]`);
	await page.click(`[data-test=dispatch-${fx.signup.id}]`);
	await page.fill('[data-test=dispatch-area]', '370212001001G01B01');
	await page.click('[data-test=dispatch-save]');
	await page.waitForSelector('[data-test=signups-table] >> text=已派出');
	const after = ok(await fx.community.get(`/api/v1/callouts/${fx.callout.id}/signups`)).items[0];
	assert.equal(after.status, 'dispatched');
	fx.worker = after.worker;
});

h.test('the volunteer who signed up is put on a shift at a checkpoint on the roster', async (page) => {
	await setup();
	assert.ok(fx.worker, 'the dispatch test did not run first');
	const gate = ok(await fx.community.post('/api/v1/checkpoints', {
		area_id: fx.area.id, code: 'CP-WF-1', name: '张村南门', kind: 'gate',
	}));
	await h.login(page, 'community1');
	await openRoster(page, h.base, gate.name);
	const start = Math.floor(Date.now() / 60000) * 60000 - 3_600_000; // in this week, as the roster opens on it
	await addShift(page, fx.worker.name, start, start + 4 * 3_600_000);
	await page.waitForSelector(`[data-test=roster-grid] >> text=${fx.worker.name}`);
	const roster = ok(await fx.community.get('/api/v1/shifts', { query: { worker_id: fx.worker.id } })).items;
	assert.equal(roster.length, 1, `the shift is not on the roster: ${JSON.stringify(roster).slice(0, 300)}`);
	assert.equal(roster[0].place_kind, 'checkpoint');
	assert.equal(roster[0].place_id, gate.id);
	assert.equal(new Date(roster[0].starts_at).getTime(), start);
});
