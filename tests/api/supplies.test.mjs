// supplies: stock (SPEC §9) — places and items (admin and commander only), one ledger of moves
// (a receive retried with its key is stored once), an issue taking the earliest expiry first,
// more than the balance refused with nothing changed, a negative quantity refused, transfers
// and adjustments (a count sets a lot), concurrent issues that never overdraw, low stock by
// the item's threshold (with its alert) and by days left at the last 7 days' use (the test
// clock moves the week on), a tube opened at a site drawing from the site's stock, and scope.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode } from './lib/harness.mjs';
import { COMMUNITY, GRID, key, makeSite, openRound, openTube, userId } from './lib/tubes.mjs';
import { Stream } from './lib/sse.mjs';

const h = harness('supplies', { testClock: true });
const COMMUNITY2 = '370212001002';
const S = {}; // shared between the cases, in order

function move(client, body) {
	return client.post('/api/v1/stock/moves', { client_key: key(), ...body });
}

async function balance(client, placeId, itemId) {
	const r = await client.ok('/api/v1/stock/balances', { query: { place_id: placeId, item_id: itemId } });
	assert.ok(r.items.length <= 1);
	return r.items[0] || { qty: 0, lots: [] };
}

h.test('set up: items and places by the commander; others may not, bad ones refused', async () => {
	const commander = await h.login('commander');
	const c1 = await areaByCode(commander, COMMUNITY);
	const c2 = await areaByCode(commander, COMMUNITY2);
	S.mask = assertCreated(await commander.post('/api/v1/stock/items',
		{ name: '医用口罩', unit: '只', category: 'ppe', low_at: 10 }));
	S.tube = assertCreated(await commander.post('/api/v1/stock/items',
		{ name: '采样管', unit: '支', category: 'tube', low_at: 5 }));
	S.gloves = assertCreated(await commander.post('/api/v1/stock/items',
		{ name: '手套', unit: '副', category: 'ppe' }));
	assert.equal(S.mask.low_at, 10);
	assert.equal(S.gloves.low_at, 0);
	S.w1 = assertCreated(await commander.post('/api/v1/stock/places',
		{ name: '张村仓库', kind: 'warehouse', area_id: c1.id }));
	S.w2 = assertCreated(await commander.post('/api/v1/stock/places',
		{ name: '河东仓库', kind: 'warehouse', area_id: c2.id }));
	assert.equal(S.w1.area_name, c1.name);

	const community1 = await h.login('community1');
	assertError(await community1.post('/api/v1/stock/items', { name: 'x', unit: '个', category: 'ppe' }), 403);
	assertError(await commander.post('/api/v1/stock/items', { name: '消毒液', unit: '瓶', category: 'soap' }),
		400, { field: 'category' });
	assertError(await commander.post('/api/v1/stock/items', { name: '医用口罩', unit: '只', category: 'ppe' }),
		409, { code: 'item_taken', field: 'name' });
	assertError(await commander.post('/api/v1/stock/items', { name: 'y', unit: '只', category: 'ppe', low_at: -1 }),
		400, { field: 'low_at' });
	assertError(await commander.post('/api/v1/stock/places', { name: 'p', kind: 'site', area_id: c1.id }),
		400, { field: 'ref_id' });
	assertError(await commander.post('/api/v1/stock/places', { name: 'p', kind: 'shop', area_id: c1.id }),
		400, { field: 'kind' });
	const items = await community1.ok('/api/v1/stock/items');
	assert.ok(items.items.some((i) => i.id === S.mask.id));
});

h.test('receive three lots; a retry with the same key is the same reply, stored once', async () => {
	const commander = await h.login('commander');
	const body = { client_key: key(), kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 100,
		lot: 'A', expiry: '2027-03-01', source: 'purchase' };
	const r1 = await commander.post('/api/v1/stock/moves', body);
	const first = assertCreated(r1);
	assert.equal(r1.status, 201);
	assert.equal(first.move.qty, 100);
	assert.equal(first.move.source, 'purchase');
	const r2 = await commander.post('/api/v1/stock/moves', body);
	assert.equal(r2.status, 201);
	assert.deepEqual(r2.json, first);
	assertCreated(await move(commander, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 50,
		lot: 'B', expiry: '2027-01-15', source: 'donation' }));
	assertCreated(await move(commander, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 20,
		lot: 'C', source: 'transfer_in' }));
	const b = await balance(commander, S.w1.id, S.mask.id);
	assert.equal(b.qty, 170);
	// earliest expiry first, a lot with no expiry last
	assert.deepEqual(b.lots.map((l) => [l.lot, l.qty]), [['B', 50], ['A', 100], ['C', 20]]);
	assert.equal(b.low, false);
});

h.test('an issue takes the earliest expiry first, split over lots', async () => {
	const community1 = await h.login('community1');
	const r = assertCreated(await move(community1, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: 60 }));
	assert.deepEqual(r.moves.map((m) => [m.lot, m.qty]), [['B', -50], ['A', -10]]);
	assert.equal(r.move, undefined);
	const b = await balance(community1, S.w1.id, S.mask.id);
	assert.equal(b.qty, 110);
	assert.deepEqual(Object.fromEntries(b.lots.map((l) => [l.lot, l.qty])), { A: 90, C: 20 });
	assert.equal(b.used_7d, 60);
});

h.test('bad moves: more than the balance (409 naming qty), negative, bad fields — nothing changed', async () => {
	const community1 = await h.login('community1');
	const e = assertError(await move(community1, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: 111 }),
		409, { code: 'not_enough_stock', field: 'qty' });
	assert.match(e.message_en, /110/);
	assertError(await move(community1, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: -5 }),
		400, { code: 'invalid_qty', field: 'qty' });
	assertError(await move(community1, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: -1, source: 'purchase' }),
		400, { field: 'qty' });
	assertError(await move(community1, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 1, source: 'gift' }),
		400, { field: 'source' });
	assertError(await move(community1, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 1,
		source: 'purchase', expiry: '2027-02-30' }), 400, { field: 'expiry' });
	assertError(await move(community1, { kind: 'adjust', place_id: S.w1.id, item_id: S.mask.id, qty: 1 }),
		400, { field: 'reason' });
	assertError(await move(community1, { kind: 'transfer', place_id: S.w1.id, item_id: S.mask.id, qty: 1 }),
		400, { field: 'to_place_id' });
	assertError(await move(community1, { kind: 'issue', place_id: S.w1.id, item_id: '99999', qty: 1 }),
		404, { code: 'item_not_found', field: 'item_id' });
	assert.equal((await balance(community1, S.w1.id, S.mask.id)).qty, 110);
});

h.test('a transfer moves lots between places; adjustments with their reason; a count sets a lot', async () => {
	const commander = await h.login('commander');
	const t = assertCreated(await move(commander, { kind: 'transfer', place_id: S.w1.id, to_place_id: S.w2.id,
		item_id: S.mask.id, qty: 30 }));
	assert.deepEqual(t.moves.map((m) => [m.place_id, m.lot, m.qty]), [[S.w1.id, 'A', -30], [S.w2.id, 'A', 30]]);
	assert.equal(t.moves[1].ref, `move:${t.moves[0].id}`);
	assert.equal((await balance(commander, S.w2.id, S.mask.id)).qty, 30);
	const d = assertCreated(await move(commander, { kind: 'adjust', reason: 'damaged', place_id: S.w1.id,
		item_id: S.mask.id, qty: 5, lot: 'C' }));
	assert.deepEqual([d.move.lot, d.move.qty, d.move.reason], ['C', -5, 'damaged']);
	const c = assertCreated(await move(commander, { kind: 'adjust', reason: 'counted', place_id: S.w1.id,
		item_id: S.mask.id, qty: 12, lot: 'C' }));
	assert.deepEqual([c.move.lot, c.move.qty], ['C', -3]);
	const b = await balance(commander, S.w1.id, S.mask.id);
	assert.deepEqual(Object.fromEntries(b.lots.map((l) => [l.lot, l.qty])), { A: 60, C: 12 });
	assert.equal(b.qty, 72);
	assertError(await move(commander, { kind: 'adjust', reason: 'lost', place_id: S.w1.id,
		item_id: S.mask.id, qty: 13, lot: 'C' }), 409, { code: 'not_enough_stock', field: 'qty' });
	// the ledger is the truth: its moves sum to the balance
	const moves = await commander.ok('/api/v1/stock/moves', { query: { place_id: S.w1.id, item_id: S.mask.id } });
	assert.equal(moves.items.reduce((s, m) => s + m.qty, 0), 72);
	const page = await commander.ok('/api/v1/stock/moves', { query: { place_id: S.w1.id, limit: 2 } });
	assert.equal(page.items.length, 2);
	const rest = await commander.ok('/api/v1/stock/moves', { query: { place_id: S.w1.id, cursor: page.next_cursor } });
	assert.equal(page.items.length + rest.items.length, moves.items.length);
});

h.test('scope: a community sees and moves only its places; a grid worker reads only', async () => {
	const community2 = await h.login('community2');
	const board = await community2.ok('/api/v1/stock/balances');
	assert.deepEqual([...new Set(board.items.map((b) => b.place.id))], [S.w2.id]);
	const places = await community2.ok('/api/v1/stock/places');
	assert.deepEqual(places.items.map((p) => p.id), [S.w2.id]);
	assertError(await move(community2, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: 1 }),
		404, { code: 'place_not_found', field: 'place_id' });
	const community1 = await h.login('community1');
	assertError(await move(community1, { kind: 'transfer', place_id: S.w1.id, to_place_id: S.w2.id,
		item_id: S.mask.id, qty: 1 }), 404, { code: 'place_not_found', field: 'to_place_id' });
	const grid1 = await h.login('grid1');
	const g = await grid1.ok('/api/v1/stock/balances');
	assert.equal(g.items.length, 0, 'no place lies inside the grid');
	assertError(await move(grid1, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: 1 }), 403);
	const m2 = await community2.ok('/api/v1/stock/moves');
	assert.ok(m2.items.every((m) => m.place_id === S.w2.id));
	assert.equal((await balance(h.clients.get('commander'), S.w1.id, S.mask.id)).qty, 72);
});

h.test('concurrent issues never overdraw: 10 in stock, 16 issues of 1 at once', async () => {
	const commander = await h.login('commander');
	const item = assertCreated(await commander.post('/api/v1/stock/items',
		{ name: '防护服', unit: '套', category: 'ppe' }));
	assertCreated(await move(commander, { kind: 'receive', place_id: S.w1.id, item_id: item.id, qty: 10,
		lot: 'L1', source: 'purchase' }));
	const replies = await Promise.all(Array.from({ length: 16 }, () =>
		move(commander, { kind: 'issue', place_id: S.w1.id, item_id: item.id, qty: 1 })));
	const ok = replies.filter((r) => r.status === 201).length;
	const refused = replies.filter((r) => r.status === 409);
	assert.equal(ok, 10, replies.map((r) => r.status).join(','));
	assert.equal(refused.length, 6);
	for (const r of refused) assertError(r, 409, { code: 'not_enough_stock', field: 'qty' });
	assert.equal((await balance(commander, S.w1.id, item.id)).qty, 0);
});

h.test('a tube opened at a site draws one tube from its stock; low by threshold alerts', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const registrar = await h.login('registrar1');
	const round = await openRound(commander, '物资测试轮');
	const site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	const bare = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	const grid = await areaByCode(commander, GRID);
	const sp = assertCreated(await commander.post('/api/v1/stock/places',
		{ name: '采样点库存', kind: 'site', ref_id: site.id, area_id: grid.id }));
	assertError(await commander.post('/api/v1/stock/places',
		{ name: '重复', kind: 'site', ref_id: site.id, area_id: grid.id }), 409, { code: 'place_taken' });
	assertCreated(await move(community1, { kind: 'receive', place_id: sp.id, item_id: S.tube.id, qty: 8,
		lot: 'T1', expiry: '2027-06-01', source: 'purchase' }));
	const k = key();
	const code = `TS${String(process.pid).slice(-4)}01`;
	const t1 = await openTube(registrar, round, site, code, k);
	assert.equal(t1.status, 201, t1.what);
	assert.equal((await balance(commander, sp.id, S.tube.id)).qty, 7);
	assert.equal((await openTube(registrar, round, site, code, key())).status, 200, 'the same barcode resumes');
	assert.equal((await balance(commander, sp.id, S.tube.id)).qty, 7, 'a resumed tube draws nothing');
	for (let i = 2; i <= 3; i++)
		assert.equal((await openTube(registrar, round, site)).status, 201);
	const b = await balance(commander, sp.id, S.tube.id);
	assert.equal(b.qty, 5);
	assert.equal(b.low, true);
	assert.equal(b.low_by, 'threshold');
	const moves = await commander.ok('/api/v1/stock/moves', { query: { place_id: sp.id } });
	assert.equal(moves.items.filter((m) => m.kind === 'issue' && m.ref === `tube:${t1.json.id}`).length, 1);
	const raised = await community1.ok('/api/v1/alerts', { query: { kind: 'stock_low' } });
	assert.ok(raised.items.some((a) => a.payload.place_id === sp.id), 'the community hears of it');
	// a site with no stock place opens its tubes all the same
	assert.equal((await openTube(registrar, round, bare)).status, 201);
});

h.test('low by days left at the last 7 days\' use; a week later with no use it is not', async () => {
	const commander = await h.login('commander');
	assertCreated(await move(commander, { kind: 'receive', place_id: S.w1.id, item_id: S.gloves.id, qty: 100,
		source: 'purchase' }));
	assertCreated(await move(commander, { kind: 'issue', place_id: S.w1.id, item_id: S.gloves.id, qty: 60 }));
	let b = await balance(commander, S.w1.id, S.gloves.id);
	assert.equal(b.days_left.toFixed(2), (40 / (60 / 7)).toFixed(2));
	assert.equal(b.low, false, '4.67 days left is not under 3');
	assertCreated(await move(commander, { kind: 'issue', place_id: S.w1.id, item_id: S.gloves.id, qty: 20 }));
	b = await balance(commander, S.w1.id, S.gloves.id);
	assert.equal(b.used_7d, 80);
	assert.equal(b.low, true);
	assert.equal(b.low_by, 'days_left');
	const alerts = await commander.ok('/api/v1/stock/alerts');
	assert.ok(alerts.items.some((a) => a.item.id === S.gloves.id && a.low_by === 'days_left'));
	const raised = await commander.ok('/api/v1/alerts', { query: { kind: 'stock_low' } });
	assert.ok(raised.items.some((a) => a.payload.item_id === S.gloves.id), JSON.stringify(raised));
	await h.moveClock(await h.login('admin'), { advance: 'P8D' });
	h.clients.clear();
	b = await balance(await h.login('commander'), S.w1.id, S.gloves.id);
	assert.equal(b.used_7d, 0);
	assert.equal(b.days_left, null);
	assert.equal(b.low, false);
});

h.test('a move is announced to the streams over its places (event stock); a refused one is not', async () => {
	const community1 = await h.login('community1');
	const commander = await h.login('commander');
	const s = await new Stream(h.base, community1).open();
	const far = await new Stream(h.base, await h.login('community2')).open();
	const from = await s.mark(await h.login('admin'), (await areaByCode(commander, COMMUNITY)).id);
	assertCreated(await move(community1, { kind: 'receive', place_id: S.w1.id, item_id: S.mask.id, qty: 7,
		source: 'donation' }));
	const e = await s.waitFor((x) => x.event === 'stock' && s.events.indexOf(x) >= from);
	assert.deepEqual(e.data.payload, { place_id: S.w1.id, item_id: S.mask.id, kind: 'receive', qty: 7, to_place_id: null });
	assert.equal(e.data.area_path, (await areaByCode(commander, COMMUNITY)).path);
	assertError(await move(community1, { kind: 'issue', place_id: S.w1.id, item_id: S.mask.id, qty: 100000 }), 409);
	const t = assertCreated(await move(commander, { kind: 'transfer', place_id: S.w1.id, to_place_id: S.w2.id,
		item_id: S.mask.id, qty: 2 }));
	assert.ok(t.moves.length >= 2);
	await s.waitFor((x) => x.event === 'stock' && x.data.payload.kind === 'transfer');
	assert.equal(s.events.slice(from).filter((x) => x.event === 'stock').length, 2, 'the refused issue made no event');
	if (S.w2.area_name !== S.w1.area_name) // the other place's community hears of the transfer too
		await far.waitFor((x) => x.event === 'stock' && x.data.payload.kind === 'transfer');
	assert.ok(!far.events.some((x) => x.event === 'stock' && x.data.payload.kind === 'receive' &&
		x.data.payload.place_id === S.w1.id && x.data.payload.qty === 7), 'the other community hears not of w1');
	s.close();
	far.close();
});

h.shutdownTest();
