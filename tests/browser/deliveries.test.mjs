// A delivery run on the volunteer's phone: volunteer1 signs off a run of 10 households of a
// sealed building, the fifth while the phone is offline (it waits in the phone's queue, shows
// its outcome, and is sent with its client key when the phone is back), and the grid worker's
// runs screen follows the progress live to 10/10. The server ends with each household signed
// once. A photo taken on the phone goes with one household's sign-off. The public donations
// summary opens with no login.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode, makeId, phoneFor } from '../api/lib/harness.mjs';

const h = browserHarness('deliveries');
const BUILDING = '370212001001G01B01';
const KEYS = Array.from({ length: 10 }, (_, i) => `W-${String(i + 1).padStart(2, '0')}`);
const fx = {};

function shanghaiDay() {
	return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

const setup = once(async () => {
	const community = new Client(h.base, 'community1');
	assert.equal((await community.login('community1')).status, 200);
	const building = await areaByCode(community, BUILDING);
	for (const [i, key] of KEYS.entries())
		ok(await community.post('/api/v1/people', {
			name: `送货${i + 1}`, id_type: 'resident', id_number: makeId('19750101', 600 + i), phone: phoneFor(600 + i),
			area_id: building.id, household: key, residence: 'permanent', tags: [],
		}));
	fx.run = ok(await community.post('/api/v1/deliveries/runs', {
		area_id: building.id, day: shanghaiDay(), item_note: '蔬菜包', households: KEYS,
	}));
	fx.community = community;
	assert.equal(fx.run.total, 10);
});

const text = (page, sel) => page.locator(sel).innerText();

h.test('a volunteer signs off a run of 10 households on the phone, one offline; the grid worker sees it live', async (page) => {
	await setup();
	// the grid worker's runs screen, in a browser of its own
	const gridContext = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
	const grid = await gridContext.newPage();
	try {
		await h.login(grid, 'grid1');
		await grid.goto(h.base + '/deliveries/runs');
		const progress = `[data-test=run-progress-${fx.run.id}]`;
		await grid.waitForSelector(progress);
		assert.match(await text(grid, progress), /0\/10/);

		await h.login(page, 'volunteer1');
		await page.goto(`${h.base}/deliveries/runs/${fx.run.id}`);
		await page.waitForSelector(`[data-test=sign-${KEYS[0]}-delivered]`);
		// a photo with the second one: a JPEG the page itself draws, through the camera input
		const jpeg = await page.evaluate(() => {
			const c = document.createElement('canvas');
			c.width = 64;
			c.height = 48;
			c.getContext('2d').fillRect(8, 8, 32, 24);
			return c.toDataURL('image/jpeg', 0.9).split(',')[1];
		});
		const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(`[data-test=photo-${KEYS[1]}]`)]);
		await chooser.setFiles({ name: 'door.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg, 'base64') });
		await page.waitForFunction((k) => document.querySelector(`[data-test=photo-${k}]`).innerText === '已附照片', KEYS[1]);
		for (const key of KEYS.slice(0, 4)) {
			await page.click(`[data-test=sign-${key}-delivered]`);
			await page.waitForFunction((k) => document.querySelector(`[data-test=outcome-${k}]`).innerText === '已送达', key);
		}
		await grid.waitForFunction((sel) => /4\/10/.test(document.querySelector(sel).innerText), progress);

		// the fifth without a connection: queued, shown, counted on the phone, not on the server
		await page.context().setOffline(true);
		await page.waitForFunction(() => document.querySelector('[data-test=net]').innerText === '离线');
		await page.click(`[data-test=sign-${KEYS[4]}-nobody_home]`);
		await page.waitForFunction(() => document.querySelector('[data-test=delivery-queued]').innerText === '待发送 1');
		assert.equal(await text(page, `[data-test=outcome-${KEYS[4]}]`), '无人在家');
		assert.match(await text(page, '[data-test=delivery-progress]'), /5\/10/);
		await page.waitForTimeout(2500); // the retry timer fires while offline: still queued
		assert.equal(await text(page, '[data-test=delivery-queued]'), '待发送 1');
		const mid = ok(await fx.community.get(`/api/v1/deliveries/runs/${fx.run.id}`));
		assert.equal(mid.done, 4, 'nothing reached the server while offline');

		await page.context().setOffline(false);
		await page.waitForFunction(() => document.querySelector('[data-test=delivery-queued]').innerText === '待发送 0', null, { timeout: 20_000 });
		for (const key of KEYS.slice(5)) {
			await page.click(`[data-test=sign-${key}-${key === KEYS[9] ? 'refused' : 'delivered'}]`);
		}
		await page.waitForFunction(() => document.querySelector('[data-test=delivery-queued]').innerText === '待发送 0', null, { timeout: 20_000 });
		await grid.waitForFunction((sel) => /10\/10/.test(document.querySelector(sel).innerText), progress, { timeout: 20_000 });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `the run is ${overflow}px wider than the phone`);
	} finally {
		await gridContext.close();
	}

	const run = ok(await fx.community.get(`/api/v1/deliveries/runs/${fx.run.id}`));
	assert.equal(run.done, 10);
	assert.equal(run.status, 'done');
	const by = Object.fromEntries(run.households.map((x) => [x.key, x.outcome]));
	assert.equal(by[KEYS[4]], 'nobody_home', 'the offline sign-off arrived');
	assert.equal(by[KEYS[9]], 'refused');
	const photos = run.households.filter((x) => x.has_photo).map((x) => x.key);
	assert.deepEqual(photos, [KEYS[1]], 'the photo went with its household only');
	assert.equal(Object.values(by).filter((o) => o === 'delivered').length, 8);
}, PHONE);

h.test('the public donations summary opens with no login and shows 匿名 for an anonymous donor', async (page) => {
	await setup();
	const community = await areaByCode(fx.community, '370212001001');
	const d = ok(await fx.community.post('/api/v1/donations', { kind: 'money', anonymous: true, donor_phone: '13911112222', area_id: community.id, amount_yuan: 10000 }));
	ok(await fx.community.post(`/api/v1/donations/${d.id}/receive`, {}));
	await page.goto(h.base + '/d/370212001001');
	await page.waitForSelector('[data-test=public-community]');
	assert.equal(await text(page, '[data-test=public-community]'), community.name);
	assert.match(await text(page, '[data-test=public-received]'), /¥10000\.00/);
	const donors = await text(page, '[data-test=public-donors]');
	assert.match(donors, /匿名/);
	assert.doesNotMatch(await page.content(), /1391111/, 'no phone on the public page');
}, PHONE);
