// trace: a positive single-tube retest makes its person a case at once (driven through the
// real flow: a round, a positive pool, its retests); a case entered by hand; close and
// secondary contacts, known to the registry or registered in full; a close contact who becomes
// a case gets its source and generation, and the old case's secondary contacts through them
// move up in one confirmation; the transmission graph by case and by area, one node per
// person; scope (a grid worker sees only its people, another community's case reads as a
// missing one); each bad input refused naming its field and changing nothing.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode, makeId, phoneFor } from './lib/harness.mjs';
import { COMMUNITY, GRID, OTHER_GRID, key, barcode, openRound, makeSite, residents, openTube, scan, userId } from './lib/tubes.mjs';

const h = harness('trace');
const HOUR = 3600 * 1000;

let round, site, people, inGrid, outGrid, gridArea, community;
let case0, close1, secondary2, case1;

function metAgo(hours) {
	return new Date(Date.now() - hours * HOUR).toISOString();
}

function contactBody(p, extra = {}) {
	return {
		person_id: p.id, kind: 'close', place: '张村菜市场', met_at: metAgo(20),
		exposure: 'shared_space', certainty: 'confirmed', source: 'named_by_case', ...extra,
	};
}

/* One tube of group, closed, shipped, received and resulted positive: its retests follow. */
async function positivePool(group) {
	const reg = await h.login('registrar1');
	const lab = await h.login('lab1');
	const code = barcode('P');
	assertCreated(await openTube(reg, round, site, code));
	for (const p of group) assert.equal((await scan(reg, code, p)).status, 201);
	assert.equal((await reg.post(`/api/v1/tubes/${code}/close`)).status, 200);
	const box = barcode('PB');
	assertCreated(await reg.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id }));
	assert.equal((await reg.post(`/api/v1/boxes/${box}/tubes`, { tube_code: code })).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/seal`)).status, 200);
	assert.equal((await reg.post(`/api/v1/boxes/${box}/handover`, { to: '转运员' })).status, 200);
	assert.equal((await lab.post(`/api/v1/boxes/${box}/receive`)).status, 200);
	const r = await lab.post(`/api/v1/tubes/${code}/result`, { result: 'positive', client_key: key() });
	assert.equal(r.status, 200, r.what);
	return code;
}

async function casesOf(client, query = {}) {
	const r = await client.get('/api/v1/cases', { query: { limit: 500, ...query } });
	assert.equal(r.status, 200, r.what);
	return r.json.items;
}

h.test('setup: a round, a site and residents inside and outside grid 1', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	community = await areaByCode(commander, COMMUNITY);
	gridArea = await areaByCode(commander, GRID);
	round = await openRound(commander, '流调测试轮');
	site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	people = await residents(community1, COMMUNITY, 40);
	inGrid = people.filter((p) => p.area_path.startsWith(gridArea.path));
	outGrid = people.filter((p) => !p.area_path.startsWith(gridArea.path));
	assert.ok(inGrid.length >= 4 && outGrid.length >= 2, `${inGrid.length} in grid, ${outGrid.length} out`);
});

h.test('a positive retest makes its person a case at once, once', async () => {
	const lab = await h.login('lab1');
	const commander = await h.login('commander');
	const code = await positivePool([inGrid[0], inGrid[1], outGrid[0]]);
	const rt = (await commander.ok(`/api/v1/rounds/${round.id}/retests`)).items.filter((x) => x.tube_code === code);
	assert.equal(rt.length, 3);
	const mine = rt.find((x) => x.person_id === inGrid[0].id);
	const other = rt.find((x) => x.person_id === inGrid[1].id);
	assert.equal((await casesOf(commander)).length, 0, 'a positive pool alone makes no case');
	assert.equal((await lab.post(`/api/v1/retests/${other.id}/result`, { result: 'negative' })).status, 200);
	assert.equal((await casesOf(commander)).length, 0, 'a negative retest makes no case');
	const r = await lab.post(`/api/v1/retests/${mine.id}/result`, { result: 'positive' });
	assert.equal(r.status, 200, r.what);
	const list = await casesOf(commander);
	assert.equal(list.length, 1, JSON.stringify(list));
	case0 = list[0];
	assert.equal(case0.person.id, inGrid[0].id);
	assert.equal(case0.person.name, inGrid[0].name);
	assert.equal(case0.found_by, 'retest');
	assert.equal(case0.retest_id, mine.id);
	assert.equal(case0.status, 'confirmed');
	assert.equal(case0.generation, 1);
	assert.equal(case0.source_case_id, null);
	assert.deepEqual(case0.contacts, { close: 0, secondary: 0, placed: 0 });
	assert.equal((await lab.post(`/api/v1/retests/${mine.id}/result`, { result: 'positive' })).status, 200);
	assert.equal((await casesOf(commander)).length, 1, 'the same result again makes no second case');
	const one = await commander.ok(`/api/v1/cases/${case0.id}`);
	assert.deepEqual(one.proposed, []);
	assert.ok(one.created_at && one.updated_at);
});

h.test('contacts: close by person_id, close registered in full, secondary through a close one', async () => {
	const community1 = await h.login('community1');
	const admin = await h.login('admin');
	const r1 = await community1.post(`/api/v1/cases/${case0.id}/contacts`, contactBody(inGrid[1]));
	close1 = assertCreated(r1);
	assert.equal(r1.status, 201);
	assert.equal(close1.kind, 'close');
	assert.equal(close1.status, 'listed');
	assert.equal(close1.case_id, case0.id);
	assert.equal(close1.person.id, inGrid[1].id);
	assert.equal(close1.place, '张村菜市场');
	assert.equal(close1.via_contact_id, null);
	const idNumber = makeId('19900315', 611);
	const r2 = await community1.post(`/api/v1/cases/${case0.id}/contacts`, {
		person: { name: '新来的', id_number: idNumber, phone: phoneFor(611), area_id: gridArea.id },
		kind: 'close', place: '公交 18 路', met_at: metAgo(30), exposure: 'transport',
		certainty: 'probable', source: 'checkpoint_log',
	});
	const unknown = assertCreated(r2);
	assert.equal(r2.status, 201, r2.what);
	assert.equal(unknown.person.name, '新来的');
	const found = await admin.ok('/api/v1/people', { query: { id_number: idNumber } });
	assert.equal(found.items.length, 1, 'the unknown contact is registered');
	assert.equal(found.items[0].id, unknown.person.id);
	const r3 = await community1.post(`/api/v1/cases/${case0.id}/contacts`,
		contactBody(inGrid[2], { kind: 'secondary', via_contact_id: close1.id, exposure: 'household' }));
	secondary2 = assertCreated(r3);
	assert.equal(secondary2.kind, 'secondary');
	assert.equal(secondary2.via_contact_id, close1.id);
	const list = (await community1.ok(`/api/v1/cases/${case0.id}/contacts`)).items;
	assert.deepEqual(list.map((c) => c.kind), ['close', 'close', 'secondary']);
	const c = await community1.ok(`/api/v1/cases/${case0.id}`);
	assert.deepEqual(c.contacts, { close: 2, secondary: 1, placed: 0 });
});

h.test('bad contact input is refused naming the field, nothing stored', async () => {
	const community1 = await h.login('community1');
	const community2 = await h.login('community2');
	const url = `/api/v1/cases/${case0.id}/contacts`;
	const before = (await community1.ok(url)).items.length;
	assertError(await community1.post(url, contactBody(inGrid[0])), 422, { code: 'contact_is_case', field: 'person_id' });
	assertError(await community1.post(url, contactBody(inGrid[3], { kind: 'secondary', via_contact_id: secondary2.id })),
		422, { code: 'invalid_via_contact', field: 'via_contact_id' });
	assertError(await community1.post(url, contactBody(inGrid[3], { kind: 'secondary' })),
		422, { field: 'via_contact_id' });
	assertError(await community1.post(url, contactBody(inGrid[3], { via_contact_id: close1.id })),
		422, { field: 'via_contact_id' });
	assertError(await community1.post(url, contactBody(inGrid[3], { met_at: new Date(Date.now() + 2 * HOUR).toISOString() })),
		422, { code: 'future_time', field: 'met_at' });
	assertError(await community1.post(url, contactBody(inGrid[3], { met_at: 'yesterday' })), 400, { field: 'met_at' });
	assertError(await community1.post(url, contactBody(inGrid[3], { kind: 'tertiary' })), 400, { code: 'invalid_kind', field: 'kind' });
	assertError(await community1.post(url, contactBody(inGrid[3], { exposure: 'telepathy' })), 400, { field: 'exposure' });
	assertError(await community1.post(url, contactBody(inGrid[3], { certainty: 'sure' })), 400, { field: 'certainty' });
	assertError(await community1.post(url, contactBody(inGrid[3], { source: 'rumour' })), 400, { field: 'source' });
	assertError(await community1.post(url, contactBody(inGrid[3], { place: '  ' })), 400, { field: 'place' });
	assertError(await community1.post(url, contactBody(inGrid[1])), 409, { code: 'contact_exists', field: 'person_id' });
	const { person_id: _, ...noPerson } = contactBody(inGrid[3]);
	assertError(await community1.post(url, noPerson), 400, { field: 'person_id' });
	assertError(await community1.post(url, { ...contactBody(inGrid[3]), person_id: '999999999' }), 404,
		{ code: 'person_not_found', field: 'person_id' });
	assertError(await community1.post(url, {
		...noPerson, person: { name: '某人', id_number: '123', area_id: gridArea.id },
	}), 400, { field: 'person.id_number' });
	// A person of another community reads like a missing one.
	const theirs = (await community2.ok('/api/v1/people', { query: { limit: 1 } })).items[0];
	const out = await community1.post(url, { ...contactBody(inGrid[3]), person_id: theirs.id });
	const missing = await community1.post(url, { ...contactBody(inGrid[3]), person_id: '999999999' });
	assertSameAsMissing(out, missing, theirs.id, '999999999');
	// A case that does not exist, or of another community.
	assertError(await community1.post('/api/v1/cases/999999999/contacts', contactBody(inGrid[3])), 404, { code: 'case_not_found' });
	const o2 = await community2.post(url, contactBody(inGrid[3]));
	const m2 = await community2.post('/api/v1/cases/999999999/contacts', contactBody(inGrid[3]));
	assertSameAsMissing(o2, m2, case0.id, '999999999');
	assert.equal((await community1.ok(url)).items.length, before, 'nothing stored');
});

h.test('a case by hand; bad case input is refused naming the field', async () => {
	const community1 = await h.login('community1');
	const commander = await h.login('commander');
	const before = (await casesOf(commander)).length;
	const base = { person_id: outGrid[1].id, status: 'asymptomatic', found_by: 'fever_clinic' };
	assertError(await community1.post('/api/v1/cases', { ...base, person_id: inGrid[0].id }), 409,
		{ code: 'case_exists', field: 'person_id' });
	assertError(await community1.post('/api/v1/cases', { ...base, status: 'zombie' }), 400, { code: 'invalid_status', field: 'status' });
	assertError(await community1.post('/api/v1/cases', { ...base, status: 'recovered' }), 400, { field: 'status' });
	assertError(await community1.post('/api/v1/cases', { ...base, found_by: 'retest' }), 400, { code: 'invalid_found_by', field: 'found_by' });
	assertError(await community1.post('/api/v1/cases', { ...base, onset_day: '2099-01-01' }), 422, { field: 'onset_day' });
	assertError(await community1.post('/api/v1/cases', { ...base, onset_day: '2022-02-30' }), 400, { field: 'onset_day' });
	assertError(await community1.post('/api/v1/cases', { ...base, source_case_id: '999999999' }), 404, { field: 'source_case_id' });
	assertError(await community1.post('/api/v1/cases', { ...base, person_id: '999999999' }), 404, { field: 'person_id' });
	assertError(await community1.post('/api/v1/cases', { status: 'confirmed', found_by: 'other' }), 400, { field: 'person_id' });
	assert.equal((await casesOf(commander)).length, before, 'nothing stored');
	const r = await community1.post('/api/v1/cases', {
		...base, onset_day: '2022-03-01', found_place: '区医院发热门诊', note: '自行就诊',
	});
	assert.equal(r.status, 201, r.what);
	assert.equal(r.json.person.id, outGrid[1].id);
	assert.equal(r.json.generation, 1);
	assert.equal(r.json.found_by, 'fever_clinic');
	assert.equal(r.json.onset_day, '2022-03-01');
	assert.equal(r.json.retest_id, null);
	const p = await community1.patch(`/api/v1/cases/${r.json.id}`, { status: 'recovered', note: '已出院' });
	assert.equal(p.status, 200, p.what);
	assert.equal(p.json.status, 'recovered');
	assert.equal(p.json.note, '已出院');
	assert.equal(p.json.found_place, '区医院发热门诊', 'what the patch does not name is kept');
	assertError(await community1.patch(`/api/v1/cases/${r.json.id}`, { status: 'dead?' }), 400, { field: 'status' });
	assertError(await community1.patch(`/api/v1/cases/${r.json.id}`, { onset_day: '2099-01-01' }), 422, { field: 'onset_day' });
	assertError(await community1.patch('/api/v1/cases/999999999', { note: 'x' }), 404);
	assertError(await (await h.login('grid1')).post('/api/v1/cases', base), 403);
	const recovered = await casesOf(commander, { status: 'recovered' });
	assert.deepEqual(recovered.map((c) => c.id), [r.json.id]);
});

h.test('a close contact becomes a case: source, generation, proposals moved up in one confirmation', async () => {
	const community1 = await h.login('community1');
	const r = await community1.post('/api/v1/cases', { person_id: inGrid[1].id, status: 'confirmed', found_by: 'screening' });
	case1 = assertCreated(r);
	assert.equal(case1.source_case_id, case0.id);
	assert.equal(case1.generation, 2);
	assert.deepEqual(case1.proposed.map((c) => c.id), [secondary2.id]);
	const old = (await community1.ok(`/api/v1/cases/${case0.id}/contacts`)).items;
	const row = old.find((c) => c.id === close1.id);
	assert.equal(row.status, 'became_case');
	assert.equal(row.became_case_id, case1.id);
	const p = await community1.post(`/api/v1/cases/${case1.id}/promote`, {});
	assert.equal(p.status, 200, p.what);
	assert.equal(p.json.moved, 1);
	assert.equal(p.json.items.length, 1);
	const moved = p.json.items[0];
	assert.equal(moved.case_id, case1.id);
	assert.equal(moved.kind, 'close');
	assert.equal(moved.person.id, inGrid[2].id);
	assert.equal(moved.via_contact_id, null);
	assert.equal(moved.place, secondary2.place);
	const after = (await community1.ok(`/api/v1/cases/${case0.id}/contacts`)).items.find((c) => c.id === secondary2.id);
	assert.equal(after.status, 'moved');
	assert.equal(after.moved_to_id, moved.id);
	const again = await community1.ok(`/api/v1/cases/${case1.id}`);
	assert.deepEqual(again.proposed, []);
	assert.deepEqual(again.contacts, { close: 1, secondary: 0, placed: 0 });
	const twice = await community1.post(`/api/v1/cases/${case1.id}/promote`, {});
	assert.equal(twice.json.moved, 0, twice.what);
	assertError(await community1.post('/api/v1/cases/999999999/promote', {}), 404);
});

h.test('the graph: one node per person, generations and links, by case and by area', async () => {
	const commander = await h.login('commander');
	// inGrid[3] is a close contact of both cases: one person in two places of the chain is
	// one node.
	const community1 = await h.login('community1');
	for (const c of [case0, case1])
		assertCreated(await community1.post(`/api/v1/cases/${c.id}/contacts`, contactBody(inGrid[3], { place: '楼道' })));
	for (const id of [case0.id, case1.id]) {
		const g = await commander.ok(`/api/v1/cases/${id}/graph`);
		const ids = g.nodes.map((n) => n.id);
		assert.equal(new Set(ids).size, ids.length, 'one node per person');
		const node = (p) => g.nodes.find((n) => n.id === p.id);
		assert.equal(node(inGrid[0]).role, 'case');
		assert.equal(node(inGrid[0]).generation, 1);
		assert.equal(node(inGrid[0]).case_id, case0.id);
		assert.equal(node(inGrid[1]).role, 'case');
		assert.equal(node(inGrid[1]).generation, 2);
		assert.equal(node(inGrid[2]).role, 'close');
		assert.equal(node(inGrid[2]).name, inGrid[2].name);
		assert.equal(node(inGrid[3]).role, 'close');
		assert.equal(node(inGrid[3]).generation, 2, 'a close contact of the first generation');
		// two cases, the one moved up, the one of both, the one registered in full
		assert.equal(g.nodes.length, 5, JSON.stringify(g.nodes));
		const has = (a, b, kind) => g.links.some((l) => l.source === a.id && l.target === b.id && l.kind === kind);
		assert.ok(has(inGrid[0], inGrid[1], 'infected'), JSON.stringify(g.links));
		assert.ok(has(inGrid[1], inGrid[2], 'close'), JSON.stringify(g.links));
		assert.ok(!has(inGrid[0], inGrid[2], 'secondary'), 'the moved row is no link');
		assert.ok(has(inGrid[0], inGrid[3], 'close') && has(inGrid[1], inGrid[3], 'close'));
		for (const l of g.links) assert.ok(ids.includes(l.source) && ids.includes(l.target), 'links join nodes');
	}
	const a = await commander.ok('/api/v1/trace/graph', { query: { area_id: community.id } });
	const aid = a.nodes.map((n) => n.id);
	assert.equal(new Set(aid).size, aid.length);
	for (const p of [inGrid[0], inGrid[1], inGrid[2], inGrid[3], outGrid[1]]) assert.ok(aid.includes(p.id), `${p.id} in the area graph`);
	assertError(await commander.get('/api/v1/trace/graph', { query: { area_id: '999999999' } }), 404, { field: 'area_id' });
	assertError(await commander.get('/api/v1/cases/999999999/graph'), 404);
});

h.test('scope: a grid worker sees its own people; another community reads a case as missing', async () => {
	const grid1 = await h.login('grid1');
	const community2 = await h.login('community2');
	const mine = await casesOf(grid1);
	assert.ok(mine.length >= 2);
	for (const c of mine) assert.ok(c.person.id !== outGrid[1].id, 'grid1 does not see the case outside its grid');
	assert.ok(mine.some((c) => c.id === case0.id));
	const outCase = (await casesOf(await h.login('community1'))).find((c) => c.person.id === outGrid[1].id);
	assertSameAsMissing(await grid1.get(`/api/v1/cases/${outCase.id}`), await grid1.get('/api/v1/cases/999999999'),
		outCase.id, '999999999');
	assert.equal((await casesOf(community2)).length, 0);
	assertSameAsMissing(await community2.get(`/api/v1/cases/${case0.id}`), await community2.get('/api/v1/cases/999999999'),
		case0.id, '999999999');
	assertSameAsMissing(await community2.get(`/api/v1/cases/${case0.id}/graph`),
		await community2.get('/api/v1/cases/999999999/graph'), case0.id, '999999999');
	const other = await areaByCode(await h.login('commander'), OTHER_GRID);
	assertError(await grid1.get('/api/v1/cases', { query: { area_id: other.id } }), 404, { field: 'area_id' });
	// A contact outside grid 1: the community sees it, the grid worker neither in the list nor
	// by name in the graph (the chain keeps its place).
	const community1 = await h.login('community1');
	const far = assertCreated(await community1.post(`/api/v1/cases/${case0.id}/contacts`, contactBody(outGrid[0])));
	assert.ok((await community1.ok(`/api/v1/cases/${case0.id}/contacts`)).items.some((c) => c.id === far.id));
	const seen = (await grid1.ok(`/api/v1/cases/${case0.id}/contacts`)).items;
	assert.ok(seen.length >= 2 && !seen.some((c) => c.id === far.id), JSON.stringify(seen.map((c) => c.person.name)));
	const gg = await grid1.ok(`/api/v1/cases/${case0.id}/graph`);
	const farNode = gg.nodes.find((n) => n.id === outGrid[0].id);
	assert.equal(farNode.name, null);
	assert.equal(farNode.hidden, true);
	assert.ok(!gg.nodes.some((n) => n.hidden && n.name), 'no hidden node has a name');
	const g = await grid1.ok(`/api/v1/cases/${case0.id}`);
	assert.match(g.person.id_number, /\*/, 'a grid worker sees ID numbers masked');
	assertError(await grid1.post(`/api/v1/cases/${case0.id}/promote`, {}), 403);
	assertError(await (await h.login('lab1')).get('/api/v1/cases'), 403);
});
