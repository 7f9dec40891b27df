// donations: gifts of money and goods for a community (SPEC §9) — pledged then received, goods
// received becoming stock receipts (source donation) whose balance rises, anonymous donors,
// the public summary (no login, no phone, 匿名 for the anonymous), the scope, and each bad
// input refused with nothing changed.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode } from './lib/harness.mjs';

const h = harness('donations');
const COMMUNITY = '370212001001';
const OTHER = '370212001002';
const S = {};

async function balance(client, placeId, itemId) {
	const b = await client.ok('/api/v1/stock/balances', { query: { place_id: placeId, item_id: itemId } });
	return b.items.length ? b.items[0].qty : 0;
}

h.test('set up: a warehouse in the community and an item', async () => {
	const commander = await h.login('commander');
	S.community = await areaByCode(commander, COMMUNITY);
	S.other = await areaByCode(commander, OTHER);
	S.place = assertCreated(await commander.post('/api/v1/stock/places', { name: '张村社区仓库', kind: 'warehouse', area_id: S.community.id }));
	S.item = assertCreated(await commander.post('/api/v1/stock/items', { name: '医用口罩', unit: '只', category: 'ppe', low_at: 0 }));
});

h.test('a pledge of money, then received; amounts are yuan with 2 decimals', async () => {
	const community = await h.login('community1');
	const r = await community.post('/api/v1/donations', {
		kind: 'money', donor_name: '王先生', donor_phone: '13912345678', area_id: S.community.id, amount_yuan: 10000.5, use_note: '购买蔬菜包',
	});
	const d = assertCreated(r);
	assert.equal(r.status, 201);
	assert.deepEqual([d.kind, d.status, d.amount_yuan, d.donor_name, d.anonymous], ['money', 'pledged', 10000.5, '王先生', false]);
	assert.equal(d.area_name, S.community.name);
	assert.equal(d.received_at, null);
	const got = await community.post(`/api/v1/donations/${d.id}/receive`, {});
	assert.equal(got.status, 200, got.what);
	assert.equal(got.json.status, 'received');
	assert.ok(got.json.received_at);
	assertError(await community.post(`/api/v1/donations/${d.id}/receive`, {}), 409, { code: 'already_received', field: 'status' });
	S.money = d;
});

h.test('an anonymous gift of goods received becomes a stock receipt; the balance rises', async () => {
	const community = await h.login('community1');
	const before = await balance(community, S.place.id, S.item.id);
	const d = assertCreated(await community.post('/api/v1/donations', {
		kind: 'goods', anonymous: true, area_id: S.community.id, goods: [{ item_id: S.item.id, qty: 500 }],
	}));
	assert.equal(d.anonymous, true);
	assert.deepEqual(d.goods.map((g) => [g.item_id, g.qty, g.name]), [[S.item.id, 500, '医用口罩']]);
	assert.deepEqual(d.moves, []);
	assertError(await community.post(`/api/v1/donations/${d.id}/receive`, {}), 400, { code: 'missing_field', field: 'place_id' });
	const r = await community.post(`/api/v1/donations/${d.id}/receive`, { place_id: S.place.id });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.status, 'received');
	assert.equal(r.json.moves.length, 1);
	assert.equal(await balance(community, S.place.id, S.item.id), before + 500);
	const moves = await community.ok('/api/v1/stock/moves', { query: { place_id: S.place.id } });
	const m = moves.items.find((x) => x.id === r.json.moves[0]);
	assert.ok(m, 'the receipt is in the ledger');
	assert.equal(m.source, 'donation');
	assert.equal(m.ref, `donation:${d.id}`);
	S.goods = d;
});

h.test('bad input: negative or 3-decimal amounts, no goods, no donor, bad kind; nothing stored', async () => {
	const community = await h.login('community1');
	const count = async () => (await community.ok('/api/v1/donations')).items.length;
	const before = await count();
	const base = { kind: 'money', donor_name: '甲', area_id: S.community.id };
	assertError(await community.post('/api/v1/donations', { ...base, amount_yuan: -5 }), 400, { code: 'invalid_amount', field: 'amount_yuan' });
	assertError(await community.post('/api/v1/donations', { ...base, amount_yuan: 1.234 }), 400, { code: 'invalid_amount', field: 'amount_yuan' });
	assertError(await community.post('/api/v1/donations', { ...base, amount_yuan: 0 }), 400, { code: 'invalid_amount', field: 'amount_yuan' });
	assertError(await community.post('/api/v1/donations', { ...base, kind: 'goods', goods: [] }), 400, { code: 'missing_field', field: 'goods' });
	assertError(await community.post('/api/v1/donations', { ...base, kind: 'goods', goods: [{ item_id: S.item.id, qty: -1 }] }), 400,
		{ code: 'invalid_goods', field: 'goods' });
	assertError(await community.post('/api/v1/donations', { kind: 'money', area_id: S.community.id, amount_yuan: 5 }), 400,
		{ code: 'missing_field', field: 'donor_name' });
	assertError(await community.post('/api/v1/donations', { ...base, kind: 'cash', amount_yuan: 5 }), 400, { code: 'invalid_kind', field: 'kind' });
	assert.equal(await count(), before);
	const goods = assertCreated(await community.post('/api/v1/donations', { ...base, kind: 'goods', goods: [{ item_id: '999999', qty: 3 }] }));
	const bal = await balance(community, S.place.id, S.item.id);
	const r = await community.post(`/api/v1/donations/${goods.id}/receive`, { place_id: S.place.id });
	assert.ok(r.status >= 400 && r.status < 500, `an unknown item is refused by supplies: ${r.what}`);
	const still = await community.ok(`/api/v1/donations/${goods.id}`);
	assert.equal(still.status, 'pledged', 'a refused receipt leaves the pledge as it was');
	assert.equal(await balance(community, S.place.id, S.item.id), bal);
});

h.test('a change: the use note and a pledged amount; a received amount is fixed', async () => {
	const community = await h.login('community1');
	const d = assertCreated(await community.post('/api/v1/donations', { kind: 'money', donor_name: '李女士', area_id: S.community.id, amount_yuan: 200 }));
	const r = await community.patch(`/api/v1/donations/${d.id}`, { amount_yuan: 300, use_note: '买消毒液' });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual([r.json.amount_yuan, r.json.use_note], [300, '买消毒液']);
	assertError(await community.patch(`/api/v1/donations/${d.id}`, { amount_yuan: -1 }), 400, { code: 'invalid_amount', field: 'amount_yuan' });
	assertError(await community.patch(`/api/v1/donations/${S.money.id}`, { amount_yuan: 1 }), 422, { code: 'amount_fixed', field: 'amount_yuan' });
	S.pledged = d;
});

h.test('scope: another community sees none, may not record for ours; a grid worker may not', async () => {
	const other = await h.login('community2');
	assertError(await other.get(`/api/v1/donations/${S.money.id}`), 404, { code: 'donation_not_found' });
	assert.ok(!(await other.ok('/api/v1/donations')).items.some((x) => x.id === S.money.id));
	assertError(await other.post('/api/v1/donations', { kind: 'money', donor_name: '甲', area_id: S.community.id, amount_yuan: 1 }), 404,
		{ code: 'area_not_found', field: 'area_id' });
	assertError(await (await h.login('grid1')).get('/api/v1/donations'), 403, { code: 'forbidden' });
	const list = await (await h.login('community1')).ok('/api/v1/donations', { query: { status: 'received', kind: 'money' } });
	assert.deepEqual(list.items.map((x) => x.id), [S.money.id]);
	assert.equal(list.items[0].donor_phone, '13912345678', 'the community sees phones');
	const cmd = await (await h.login('commander')).ok(`/api/v1/donations/${S.money.id}`);
	assert.equal(cmd.donor_phone, '139****5678', 'a phone is masked for a role that may not see it');
});

h.test('the public summary: no login, totals, 匿名 for the anonymous, no phone', async () => {
	const r = await h.anon().get(`/api/v1/public/donations/${COMMUNITY}`);
	assert.equal(r.status, 200, r.what);
	const s = r.json;
	assert.equal(s.community.code, COMMUNITY);
	assert.equal(s.money_received, 10000.5);
	assert.equal(s.money_pledged, 300);
	assert.deepEqual(s.goods.map((g) => [g.item, g.qty]), [['医用口罩', 500]]);
	const anon = s.donors.find((d) => d.name === '匿名' && d.kind === 'goods');
	assert.deepEqual(anon.goods, [{ item: '医用口罩', qty: 500 }]);
	assert.ok(s.donors.some((d) => d.name === '王先生' && d.amount === 10000.5));
	assert.ok(!JSON.stringify(s).includes('1391'), 'no phone in the public summary');
	assertError(await h.anon().get('/api/v1/public/donations/NOSUCH'), 404, { code: 'area_not_found' });
});

h.shutdownTest();
