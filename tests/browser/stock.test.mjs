// The stock board in a browser. Command staff set up an item and a warehouse and receive two
// lots through the API; a community worker opens the board, issues from the line with the move
// form (the earlier lot taken first: the board then shows the later one only, with the new
// quantity), and an issue of more than the balance is refused on the quantity field with the
// balance named, nothing changed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { browserHarness, ok, once } from './lib/browser.mjs';
import { Client, areaByCode } from '../api/lib/harness.mjs';

const h = browserHarness('stock');
const COMMUNITY = '370212001001';
const fx = {};

const setup = once(async () => {
	const commander = new Client(h.base, 'commander');
	assert.equal((await commander.login('commander')).status, 200);
	const area = await areaByCode(commander, COMMUNITY);
	fx.item = ok(await commander.post('/api/v1/stock/items', { name: '浏览器口罩', unit: '只', category: 'ppe', low_at: 5 }));
	fx.place = ok(await commander.post('/api/v1/stock/places', { name: '浏览器仓库', kind: 'warehouse', area_id: area.id }));
	for (const [lot, expiry, qty] of [['A', '2027-03-01', 20], ['B', '2027-01-15', 10]])
		ok(await commander.post('/api/v1/stock/moves', { kind: 'receive', place_id: fx.place.id, item_id: fx.item.id, qty,
			lot, expiry, source: 'purchase', client_key: `k-${randomUUID()}` }));
	fx.commander = commander;
});

h.test('a community worker issues from the board, earliest expiry first; too much is refused', async (page) => {
	await setup();
	await h.login(page, 'community1');
	await page.goto(h.base + '/stock');
	const row = page.locator('[data-test=stock-table] .el-table__row', { hasText: '浏览器仓库' });
	await row.waitFor();
	assert.equal((await row.locator('[data-test=stock-qty]').textContent()).trim(), '30');
	await row.locator('[data-test=stock-issue]').click();
	await page.fill('[data-test=move-qty]', '12');
	await page.click('[data-test=move-save]');
	await page.waitForFunction(() => {
		const r = [...document.querySelectorAll('[data-test=stock-table] .el-table__row')].find((x) => x.textContent.includes('浏览器仓库'));
		return r && r.querySelector('[data-test=stock-qty]').textContent.trim() === '18';
	});
	const lots = await row.locator('.lot').allTextContents();
	assert.deepEqual(lots.map((s) => s.trim()), ['A · 2027-03-01 · 18'], 'lot B (earlier expiry) went first');

	await row.locator('[data-test=stock-issue]').click();
	await page.fill('[data-test=move-qty]', '100');
	await page.click('[data-test=move-save]');
	const msg = page.locator('[data-test=move-form] .el-form-item__error');
	await msg.waitFor();
	assert.match(await msg.textContent(), /库存不足.*18/);
	const b = ok(await fx.commander.get('/api/v1/stock/balances', { query: { place_id: fx.place.id } }));
	assert.equal(b.items[0].qty, 18);
});
