// zones: a zone drawn over an area of the caller's scope with a kind of the scheme in force;
// each bad input refused naming its field and changing nothing; a sealed (level-3) zone's
// people go alone into a tube and onto the door-to-door list; a positive pool proposes a zone
// over its buildings that a commander confirms (once) or rejects with a reason; the lift rule
// under the test clock proposes the next lower kind on day 7, and not when a positive came on
// day 6; who is in a zone, and the zone of a person and of an area.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode, moveClock, waitFor } from './lib/harness.mjs';
import { COMMUNITY, GRID, key, barcode, makeSite, residents, openTube, scan, userId } from './lib/tubes.mjs';
import { Stream } from './lib/sse.mjs';

const h = harness('zones', { testClock: true });
const DAY = 24 * 3600 * 1000;

let site, people, zoneA, zoneB, outsider, poolPerson, T0;

function as(name) {
	return h.login(name);
}

/* Moves the server's clock to at; the sessions before it expired, so the logins are redone. */
async function moveTo(at) {
	const admin = await as('admin');
	const now = (await moveClock(admin, {})).now_ms;
	const moved = await moveClock(admin, { advance_ms: at - now });
	h.clients.clear();
	return moved;
}

async function serverNow(admin) {
	return (await moveClock(admin, {})).now_ms;
}

async function openRoundNow(commander, admin, name, poolSize = 10) {
	const community = await areaByCode(commander, COMMUNITY);
	const now = await serverNow(admin);
	const round = assertCreated(await commander.post('/api/v1/rounds', {
		name, area_ids: [community.id], starts_at: new Date(now - 60_000).toISOString(),
		deadline_at: new Date(now + DAY).toISOString(), pool_size: poolSize,
	}));
	const o = await commander.post(`/api/v1/rounds/${round.id}/open`);
	assert.equal(o.status, 200, o.what);
	return o.json;
}

/* A tube of the people, closed, boxed, received and resulted. */
async function sampleAndResult(round, group, result, single = false) {
	const reg = await as('registrar1');
	const lab = await as('lab1');
	const codes = [];
	const groups = single ? group.map((p) => [p]) : [group];
	for (const g of groups) {
		const code = barcode('Z');
		assertCreated(await openTube(reg, round, site, code));
		for (const p of g) assert.equal((await scan(reg, code, p)).status, 201);
		const t = (await reg.get(`/api/v1/tubes/${code}`)).json;
		if (t.status === 'open') assert.equal((await reg.post(`/api/v1/tubes/${code}/close`)).status, 200);
		codes.push(code);
	}
	const box = barcode('ZB');
	assertCreated(await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id }));
	for (const c of codes) assert.equal((await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: c })).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/seal`)).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/handover`, { to: '转运员' })).status, 200);
	assert.equal((await lab.post(`/api/v1/boxes/${box}/receive`)).status, 200);
	for (const c of codes) {
		const r = await lab.post(`/api/v1/tubes/${c}/result`, { result, client_key: key() });
		assert.equal(r.status, 200, r.what);
	}
	return codes;
}

async function proposals(client, status = 'pending') {
	const r = await client.get('/api/v1/zone-proposals', { query: { status } });
	assert.equal(r.status, 200, r.what);
	return r.json.items;
}

async function zoneCount(commander) {
	return (await commander.ok('/api/v1/zones', { query: { limit: 500 } })).items.length;
}

h.test('setup: residents of four grids of a community, a site', async () => {
	const admin = await as('admin');
	const community1 = await as('community1');
	site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	people = await residents(community1, COMMUNITY, 45);
	const grid = async (n) => {
		const g = await areaByCode(community1, `${COMMUNITY}G0${n}`);
		return { area: g.id, path: g.path, people: people.filter((p) => p.area_path.startsWith(g.path)) };
	};
	[zoneA, zoneB] = [await grid(1), await grid(2)];
	outsider = (await grid(3)).people;
	poolPerson = (await grid(4)).people;
	for (const g of [zoneA.people, zoneB.people, outsider, poolPerson])
		assert.ok(g.length >= 3, `only ${g.length} residents in a grid`);
	T0 = await serverNow(admin);
});

h.test('drawing a zone: 201 with its kind, rule, days remaining and people count; audited', async () => {
	const commander = await as('commander');
	const r = await commander.post('/api/v1/zones', { area_id: zoneA.area, kind: 'high', reason: '病例 A 的住所', case_ref: 'case-001' });
	const z = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(z.kind, 'high');
	assert.equal(z.level, 3);
	assert.equal(z.scheme, 202206);
	const kinds = await commander.ok('/api/v1/zones/kinds');
	assert.equal(kinds.scheme, 202206);
	assert.deepEqual(kinds.kinds.map((k) => k.kind), ['high', 'medium', 'low'], 'the scheme in force, strictest first');
	assertError(await (await as('lab1')).get('/api/v1/zones/kinds'), 403);
	assert.equal(z.status, 'active');
	assert.equal(z.case_ref, 'case-001');
	assert.deepEqual(z.rule, { single_tube: true, door_to_door: true, stay_home: true, no_entry: true });
	assert.equal(z.days_remaining, 7);
	assert.equal(z.next_kind, 'medium');
	assert.equal(z.people, zoneA.people.length);
	assert.equal(Date.parse(z.first_screening_due) - Date.parse(z.started_at), DAY);
	assert.deepEqual(z.history.map((e) => e.action), ['drawn']);
	assert.equal(z.history[0].by, 'commander');
	zoneA.id = z.id;
	const b = assertCreated(await commander.post('/api/v1/zones', { area_id: zoneB.area, kind: 'high', reason: '病例 B' }));
	zoneB.id = b.id;
	const admin = await as('admin');
	const audit = await admin.get('/api/v1/audit', { query: { action: 'zone.draw' } });
	assert.equal(audit.status, 200, audit.what);
	assert.ok(audit.json.items.some((e) => e.target_id === zoneA.id && e.username === 'commander'), audit.what);
});

h.test('bad input: a kind not of the scheme, a conflicting zone, a future start, an area out of scope or missing; nothing changes', async () => {
	const commander = await as('commander');
	const before = await zoneCount(commander);
	assertError(await commander.post('/api/v1/zones', { area_id: zoneA.area, kind: 'sealed', reason: 'x' }), 422,
		{ code: 'invalid_kind', field: 'kind' });
	assertError(await commander.post('/api/v1/zones', { area_id: zoneA.area, kind: 'medium', reason: 'x' }), 409,
		{ code: 'zone_conflict', field: 'kind' });
	const future = new Date((await serverNow(await as('admin'))) + 3600_000).toISOString();
	assertError(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'low', reason: 'x', started_at: future }), 400,
		{ code: 'future_time', field: 'started_at' });
	assertError(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'low', reason: 'x', source_tube_code: 'NOSUCH' }), 422,
		{ code: 'unknown_tube', field: 'source_tube_code' });
	assertError(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'low', reason: '  ' }), 400,
		{ code: 'reason_required', field: 'reason' });
	assertError(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'low' }), 400, { field: 'reason' });
	// A commander of another community: the area reads as a missing one.
	const admin = await as('admin');
	const other = await areaByCode(admin, '370212001002');
	assertCreated(await admin.post('/api/v1/users', { username: 'cmd_hedong', password: 'Cmd-pass-123', display_name: '河东指挥', role: 'commander', area_ids: [other.id] }));
	const narrow = await h.login('cmd_hedong', 'Cmd-pass-123');
	const out = await narrow.post('/api/v1/zones', { area_id: zoneA.area, kind: 'high', reason: 'x' });
	const missing = await narrow.post('/api/v1/zones', { area_id: '999999999', kind: 'high', reason: 'x' });
	assertError(out, 404, { code: 'area_not_found', field: 'area_id' });
	assertSameAsMissing(out, missing, zoneA.area, '999999999');
	// A smaller zone of another kind inside a larger one is allowed: the strictest wins.
	const community = await areaByCode(commander, COMMUNITY);
	const big = assertCreated(await commander.post('/api/v1/zones', { area_id: community.id, kind: 'low', reason: '社区防范' }));
	const of = await commander.ok(`/api/v1/zones/of-area/${zoneA.area}`);
	assert.equal(of.zone.id, zoneA.id);
	assert.equal((await commander.ok(`/api/v1/zones/of-area/${outsider[0].area_id}`)).zone.id, big.id);
	assert.equal((await commander.post(`/api/v1/zones/${big.id}/lift`, { reason: '误划' })).status, 200);
	assert.equal((await commander.ok(`/api/v1/zones/of-area/${outsider[0].area_id}`)).zone, null);
	assert.equal(await zoneCount(commander), before + 1); // the lifted one stays listed
	// Roles: a grid worker reads, never draws.
	assertError(await (await as('grid1')).post('/api/v1/zones', { area_id: zoneA.area, kind: 'high', reason: 'x' }), 403);
});

h.test('scope: a zone outside the caller\'s scope reads as a missing one; the people list masks IDs', async () => {
	const grid2 = await as('grid2');
	const out = await grid2.get(`/api/v1/zones/${zoneA.id}`);
	const missing = await grid2.get('/api/v1/zones/999999999');
	assertError(out, 404, { code: 'zone_not_found' });
	assertSameAsMissing(out, missing, zoneA.id, '999999999');
	assert.ok(!(await grid2.ok('/api/v1/zones')).items.some((z) => z.id === zoneA.id));
	const grid1 = await as('grid1');
	assert.ok((await grid1.ok('/api/v1/zones')).items.some((z) => z.id === zoneA.id && z.days_remaining === 7));
	const ppl = await grid1.ok(`/api/v1/zones/${zoneA.id}/people`, { query: { limit: 2 } });
	assert.equal(ppl.items.length, Math.min(2, zoneA.people.length));
	for (const p of ppl.items) assert.match(p.id_number, /\*/);
	const ofr = await grid1.get(`/api/v1/zones/of-person/${zoneA.people[0].id}`);
	assert.equal(ofr.status, 200, ofr.what);
	const of = ofr.json;
	assert.equal(of.zone.id, zoneA.id);
	assert.equal((await (await as('commander')).ok(`/api/v1/zones/of-person/${outsider[0].id}`)).zone, null);
	assertError(await grid2.get(`/api/v1/zones/of-person/${zoneA.people[0].id}`), 404);
});

/* Every page of a zone's people, limit at a time; the ids in the order read. */
async function zoneWalk(user, zoneId, limit) {
	const ids = [];
	let cursor = null;
	do {
		const page = await user.ok(`/api/v1/zones/${zoneId}/people`, { query: cursor ? { limit, cursor } : { limit } });
		assert.ok(page.items.length <= limit, `a page of ${page.items.length}`);
		ids.push(...page.items.map((p) => p.id));
		cursor = page.next_cursor;
	} while (cursor);
	return ids;
}

h.test('the people of a zone paged through: each once, by id, for the commander and the grid\'s worker', async () => {
	const byId = (a, b) => (BigInt(a) < BigInt(b) ? -1 : 1);
	const all = zoneA.people.map((p) => p.id).sort(byId);
	assert.ok(all.length >= 3);
	assert.deepEqual(await zoneWalk(await as('commander'), zoneA.id, 2), all);
	assert.deepEqual(await zoneWalk(await as('grid1'), zoneA.id, 1), all);
});

h.test('a sealed zone\'s person goes alone into a tube (it closes at 1); into a tube holding someone: 422 single_tube_required', async () => {
	const commander = await as('commander');
	const admin = await as('admin');
	const round = await openRoundNow(commander, admin, '封控区单采');
	const reg = await as('registrar1');
	const t1 = barcode('S');
	assertCreated(await openTube(reg, round, site, t1));
	const r1 = await scan(reg, t1, zoneA.people[0]);
	assert.equal(r1.status, 201, r1.what);
	assert.equal(r1.json.closed, true);
	assert.equal(r1.json.tube.n, 1);
	const t2 = barcode('S');
	assertCreated(await openTube(reg, round, site, t2));
	assert.equal((await scan(reg, t2, outsider[0])).status, 201);
	const r2 = await scan(reg, t2, zoneA.people[1]);
	assertError(r2, 422, { code: 'single_tube_required', field: 'person_code' });
	const t = (await reg.get(`/api/v1/tubes/${t2}`)).json;
	assert.equal(t.n, 1, 'the refused scan took no place');
	assert.equal(t.status, 'open');

	// The door-to-door list holds every missing person of the zone, tagged or not.
	const community1 = await as('community1');
	const door = await community1.ok(`/api/v1/rounds/${round.id}/door-to-door`, { query: { limit: 500 } });
	const ids = new Set(door.buildings.flatMap((b) => b.people).map((p) => p.id));
	for (const p of zoneA.people.slice(1)) assert.ok(ids.has(p.id), `${p.name} of the sealed zone is on the door list`);
	assert.ok(!ids.has(zoneA.people[0].id), 'the sampled one is not');
	for (const p of outsider.slice(1))
		assert.equal(ids.has(p.id), p.tags.some((t) => ['home_sampling', 'bedridden', 'elderly_alone'].includes(t)),
			'outside zones only the tagged are on the list');
	await commander.post(`/api/v1/rounds/${round.id}/close`);
});

h.test('a positive pool proposes a zone over its buildings; confirm draws it, a second confirm is 409; a rejection needs a reason', async () => {
	const commander = await as('commander');
	const admin = await as('admin');
	const round = await openRoundNow(commander, admin, '阳性提议');
	const before = await zoneCount(commander);
	const [code] = await sampleAndResult(round, [poolPerson[0], outsider[2]], 'positive');
	const mine = (await proposals(commander)).filter((p) => p.action === 'draw' && p.source_tube_code === code);
	assert.equal(mine.length, 2, JSON.stringify(mine));
	assert.equal(await zoneCount(commander), before, 'no zone until confirmed');
	const toPool = mine.find((p) => p.area_id === poolPerson[0].area_id);
	assert.equal(toPool.kind, 'high');
	const building = await commander.ok(`/api/v1/areas/${toPool.area_id}`);
	assert.deepEqual([toPool.area_name, toPool.area_code], [building.name, building.code], 'a proposal names its area');
	assert.ok(toPool.policy_version >= 0);
	const c = await commander.post(`/api/v1/zone-proposals/${toPool.id}/confirm`, {});
	assert.equal(c.status, 200, c.what);
	assert.equal(c.json.status, 'confirmed');
	assert.ok(c.json.result_zone_id);
	const z = await commander.ok(`/api/v1/zones/${c.json.result_zone_id}`);
	assert.equal(z.kind, 'high');
	assert.equal(z.area.id, poolPerson[0].area_id);
	assert.deepEqual(z.history.map((e) => e.action), ['drawn', 'confirmed']);
	assertError(await commander.post(`/api/v1/zone-proposals/${toPool.id}/confirm`, {}), 409, { code: 'proposal_decided' });
	assert.equal(await zoneCount(commander), before + 1, 'the second confirm changed nothing');
	const other = mine.find((p) => p !== toPool);
	assertError(await commander.post(`/api/v1/zone-proposals/${other.id}/reject`, {}), 400, { field: 'reason' });
	assertError(await commander.post(`/api/v1/zone-proposals/${other.id}/reject`, { reason: ' ' }), 400, { code: 'reason_required', field: 'reason' });
	const rj = await commander.post(`/api/v1/zone-proposals/${other.id}/reject`, { reason: '已核实为外来人员' });
	assert.equal(rj.status, 200, rj.what);
	assert.equal(rj.json.decision_reason, '已核实为外来人员');
	assertError(await commander.post(`/api/v1/zone-proposals/${other.id}/confirm`, {}), 409, { code: 'proposal_decided' });
	assertError(await (await as('grid1')).post(`/api/v1/zone-proposals/${other.id}/confirm`, {}), 403);
	await commander.post(`/api/v1/rounds/${round.id}/close`);
});

async function proposeRunAfter(admin, since) {
	await waitFor(async () => {
		const r = await admin.get('/api/v1/jobs');
		const j = r.json.items.find((x) => x.name === 'zones.propose');
		return j && j.last_finished && Date.parse(j.last_finished) >= since ? j : null;
	}, 'zones.propose to run');
}

h.test('the lift rule: day 7 with an all-negative round on the last day proposes medium; a positive on day 6 restarts the count', async () => {
	await moveTo(T0 + 6 * DAY + 3 * 3600_000);
	let commander = await as('commander');
	let admin = await as('admin');
	const round = await openRoundNow(commander, admin, '第六天');
	// Zone A: everyone negative, one per tube. Zone B: a positive on day 6.
	await sampleAndResult(round, zoneA.people.slice(1, 3), 'negative', true);
	await sampleAndResult(round, zoneB.people.slice(0, 1), 'positive', true);
	let a = await commander.ok(`/api/v1/zones/${zoneA.id}`);
	assert.equal(a.days_remaining, 1);
	assert.equal((await commander.ok(`/api/v1/zones/${zoneB.id}`)).days_remaining, 7);
	assert.ok(!(await proposals(commander)).some((p) => p.zone_id === zoneA.id), 'not before day 7');
	const moved = await moveTo(T0 + 7 * DAY + 3600_000);
	admin = await as('admin');
	await proposeRunAfter(admin, moved.now_ms);
	commander = await as('commander');
	const pending = await proposals(commander);
	const pa = pending.find((p) => p.zone_id === zoneA.id);
	assert.ok(pa, JSON.stringify(pending));
	assert.equal(pa.action, 'downgrade');
	assert.equal(pa.kind, 'medium');
	assert.ok(!pending.some((p) => p.zone_id === zoneB.id), 'a positive on day 6 restarts the count');
	a = await commander.ok(`/api/v1/zones/${zoneA.id}`);
	assert.equal(a.days_remaining, 0);
	assert.equal(a.kind, 'high', 'nothing changes until confirmed');
	assert.ok(a.proposals.some((p) => p.id === pa.id));
	const c = await commander.post(`/api/v1/zone-proposals/${pa.id}/confirm`, {});
	assert.equal(c.status, 200, c.what);
	a = await commander.ok(`/api/v1/zones/${zoneA.id}`);
	assert.equal(a.kind, 'medium');
	assert.equal(a.level, 2);
	assert.equal(a.days_remaining, 7);
	assert.deepEqual(a.history.map((e) => e.action), ['drawn', 'proposed', 'downgraded', 'confirmed']);
	assert.deepEqual(a.rule, { single_tube: false, door_to_door: false, stay_home: true, no_entry: false });
	await commander.post(`/api/v1/rounds/${round.id}/close`);
});

h.test('switching the scheme is a policy edit: new zones use its kinds, existing ones keep theirs', async () => {
	const admin = await as('admin');
	const r = await admin.req('PUT', '/api/v1/policies', { json: { values: { 'zones.scheme': 202204 }, reason: '切换方案' } });
	assert.equal(r.status, 200, r.what);
	const commander = await as('commander');
	const kinds = await (await as('grid1')).ok('/api/v1/zones/kinds');
	assert.equal(kinds.scheme, 202204, 'the kinds route follows the edit');
	assert.deepEqual(kinds.kinds.map((k) => [k.kind, k.kind_zh, k.level]),
		[['sealed', '封控区', 3], ['controlled', '管控区', 2], ['precaution', '防范区', 1]]);
	assertError(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'high', reason: 'x' }), 422,
		{ code: 'invalid_kind', field: 'kind' });
	const z = assertCreated(await commander.post('/api/v1/zones', { area_id: outsider[0].area_id, kind: 'sealed', reason: '新方案' }));
	assert.equal(z.kind, 'sealed');
	assert.equal(z.scheme, 202204);
	assert.equal(z.next_kind, 'controlled');
	assert.equal((await commander.ok(`/api/v1/zones/${zoneB.id}`)).kind, 'high');
	assertError(await admin.req('PUT', '/api/v1/policies', { json: { values: { 'zones.scheme': 202205 }, reason: 'x' } }), 400,
		{ field: 'zones.scheme' });
});

h.test('the streams hear of a zone drawn and lifted (event zone); a refused one is not heard', async () => {
	// The scheme in force by now is 202204 (sealed, controlled, precaution).
	const commander = await as('commander');
	const area = await areaByCode(commander, '370212001002');
	const s = await new Stream(h.base, commander).open();
	const from = await s.mark(await as('admin'), area.id);
	const z = assertCreated(await commander.post('/api/v1/zones', { area_id: area.id, kind: 'precaution', reason: '事件测试' }));
	assertError(await commander.post('/api/v1/zones', { area_id: area.id, kind: 'controlled', reason: 'x' }), 409);
	assert.equal((await commander.post(`/api/v1/zones/${z.id}/lift`, { reason: '解除' })).status, 200);
	await s.waitFor((x) => x.event === 'zone' && x.data.payload.action === 'lifted');
	const mine = s.events.slice(from).filter((x) => x.event === 'zone');
	assert.deepEqual(mine.map((x) => x.data.payload), [
		{ zone_id: z.id, action: 'drawn', kind: 'precaution', from_kind: null },
		{ zone_id: z.id, action: 'lifted', kind: null, from_kind: 'precaution' },
	]);
	assert.equal(mine[0].data.area_path, area.path);
	s.close();
});

h.shutdownTest();
