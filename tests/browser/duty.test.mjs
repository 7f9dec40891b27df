// Duty on screen: community staff open a sampling site's roster, put a worker on a shift
// running now through the form (the worker picked, start and end typed), see it in its day's
// column, and see a second, overlapping shift for the same worker refused with the server's
// message; the on-duty-now board shows the site short in red (one on duty of the four its two
// desks need); the volunteer linked to the worker finds the shift, marked on duty, on its
// phone.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode } from '../api/lib/harness.mjs';
import { openRoster, addShift } from './lib/roster.mjs';

const h = browserHarness('duty');
const fx = {};
const HOUR = 3_600_000;

const setup = once(makeFixtures);
async function makeFixtures() {
	const admin = new Client(h.base, 'admin');
	assert.equal((await admin.login('admin')).status, 200);
	fx.community = new Client(h.base, 'community1');
	assert.equal((await fx.community.login('community1')).status, 200);
	const area = await areaByCode(fx.community, '370212001001');
	fx.site = ok(await fx.community.post('/api/v1/sites', {
		area_id: area.id, code: 'S-DUTY-WEB', name: '值守采样点', kind: 'fixed', desks: 2,
	}));
	const volunteer = ok(await admin.get('/api/v1/users')).items.find((u) => u.username === 'volunteer1');
	fx.worker = ok(await fx.community.post('/api/v1/workers', {
		name: '排班志愿者', phone: '13900007777', kind: 'volunteer', area_id: area.id, user_id: volunteer.id,
	}));
}

h.test('the roster takes a shift through its form and refuses an overlapping one', async (page) => {
	await setup();
	await h.login(page, 'community1');
	await openRoster(page, h.base, fx.site.name);
	const now = Math.floor(Date.now() / 60000) * 60000;
	await addShift(page, fx.worker.name, now - HOUR, now + 3 * HOUR);
	await page.waitForSelector(`[data-test=roster-grid] >> text=${fx.worker.name}`);
	const roster = ok(await fx.community.get('/api/v1/shifts', { query: { worker_id: fx.worker.id } })).items;
	assert.equal(roster.length, 1);
	fx.shift = roster[0];
	assert.equal(new Date(fx.shift.starts_at).getTime(), now - HOUR);
	assert.equal(new Date(fx.shift.ends_at).getTime(), now + 3 * HOUR);
	await page.waitForSelector('.el-dialog', { state: 'hidden' });
	await addShift(page, fx.worker.name, now, now + 2 * HOUR);
	await page.waitForSelector('.el-dialog >> text=时间重叠');
	const after = ok(await fx.community.get('/api/v1/shifts', { query: { worker_id: fx.worker.id } })).items;
	assert.equal(after.length, 1, 'the overlapping shift was stored');
});

h.test('the on-duty-now board shows the site short in red', async (page) => {
	await setup();
	assert.ok(fx.shift, 'the roster test did not run first');
	await h.login(page, 'community1');
	await page.goto(h.base + '/duty/now');
	const state = page.locator(`[data-test=now-state-site-${fx.site.id}]`);
	await state.waitFor();
	assert.equal((await state.innerText()).trim(), '缺员');
	const row = page.locator('[data-test=now-table] tr', { has: state });
	assert.match(await row.innerText(), /排班志愿者/);
	assert.match(await row.innerText(), /1 \/ 4/);
	assert.match(await row.getAttribute('class'), /is-short/);
});

h.test('the volunteer finds its shift, on duty now, on its phone', async (page) => {
	await setup();
	assert.ok(fx.shift, 'the roster test did not run first');
	await h.login(page, 'volunteer1');
	await page.goto(h.base + '/duty/mine');
	await page.waitForSelector(`[data-test=mine-${fx.shift.id}]`);
	assert.match(await page.textContent(`[data-test=mine-${fx.shift.id}]`), /值守采样点/);
	assert.equal(await page.locator(`[data-test=mine-${fx.shift.id}] [data-test=mine-now]`).count(), 1);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `my shifts are ${overflow}px wider than the phone`);
}, PHONE);
