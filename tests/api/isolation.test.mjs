// isolation: facilities 隔离场所 with rooms and capacity, placements with the policy's stages
// and test days, a room never over its capacity and a person's placements never overlapping
// (also for requests sent at once), transfers and the facility board, the tests due while
// placed, end-day changes, scope (a grid worker sees only its own people), and the job that
// releases a placement on its day or makes it overdue with an alert (driven by the test clock).
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode, waitFor }
	from './lib/harness.mjs';
import { COMMUNITY, GRID } from './lib/tubes.mjs';
import { Stream } from './lib/sse.mjs';

const h = harness('isolation', { testClock: true });
const OTHER_COMMUNITY = '370212001002';
const DAY = 24 * 3600 * 1000;

let fac; // a district hotel: room 101 (1 bed), 102 (2 beds)
let rooms; // by number
let people; // residents of community 1, some of grid 1
let gridIds; // ids of the residents of grid 1
let traced; // residents of community 1 for the case and its contacts
let others; // residents of the other community
let today;

const as = (u) => h.login(u);

/* "YYYY-MM-DD" n days after day. */
function addDays(day, n) {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/* Today in China Standard Time by the server's clock. */
async function serverToday(admin) {
	const now = (await h.moveClock(admin, {})).now_ms;
	return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/* The residents of the area with that code, as client sees them. */
async function residents(client, code) {
	const area = await areaByCode(client, code);
	return (await client.ok('/api/v1/people', { query: { area_id: area.id, limit: 100 } })).items;
}

/* Moves the server's clock on; the sessions before it expired, so the logins are redone. */
async function advance(duration) {
	await h.moveClock(await as('admin'), { advance: duration });
	h.clients.clear();
}

function place(client, body) {
	return client.post('/api/v1/placements', body);
}

async function placementsOf(client, personId) {
	return (await client.ok('/api/v1/placements', { query: { person_id: personId } })).items;
}

h.test('setup: a district hotel with rooms, residents of a grid and of another community', async () => {
	const commander = await as('commander');
	const community1 = await as('community1');
	const district = await areaByCode(commander, '370212');
	fac = assertCreated(await commander.post('/api/v1/facilities', {
		name: '崂山区隔离酒店', area_id: district.id, address: '海尔路 1 号', phone: '0532-88886666',
	}));
	assert.equal(fac.capacity, 0);
	assert.equal(fac.occupied, 0);
	assert.equal(fac.area_name, district.name);
	const added = await commander.post(`/api/v1/facilities/${fac.id}/rooms`, {
		rooms: [{ number: '101', capacity: 1 }, { number: '102', capacity: 2 }, { number: '103', capacity: 2 }],
	});
	assert.equal(added.status, 201, added.what);
	rooms = Object.fromEntries(added.json.items.map((x) => [x.number, x]));
	assert.equal((await commander.ok(`/api/v1/facilities/${fac.id}`)).capacity, 5);
	const grid = await areaByCode(community1, GRID);
	const all = await residents(community1, COMMUNITY);
	const g = all.filter((p) => p.area_path.startsWith(grid.path));
	const r = all.filter((p) => !p.area_path.startsWith(grid.path));
	assert.ok(g.length >= 4 && r.length >= 8, `${g.length} residents in grid 1, ${r.length} elsewhere`);
	gridIds = new Set(g.map((p) => p.id));
	// people[0], [7], [9] and [10] live in grid 1: grid1 reads their placements and tests
	people = [g[0], r[0], r[1], r[2], r[3], r[4], r[5], g[1], r[6], g[2], g[3], r[7], r[11]];
	traced = r.slice(8, 11); // a case, its close contact, a secondary contact through it
	others = await residents(await as('community2'), OTHER_COMMUNITY);
	today = await serverToday(await as('admin'));
});

h.test('facilities: community staff see the district hotel; only admin and commander change it', async () => {
	const community1 = await as('community1');
	assert.ok((await community1.ok('/api/v1/facilities')).items.some((f) => f.id === fac.id));
	assert.equal((await community1.ok(`/api/v1/facilities/${fac.id}`)).name, '崂山区隔离酒店');
	assertError(await community1.post('/api/v1/facilities', { name: 'x', area_id: fac.area_id }), 403);
	assertError(await (await as('grid1')).get('/api/v1/facilities'), 403);
	const missing = await community1.get('/api/v1/facilities/999999999');
	assertError(missing, 404, { code: 'facility_not_found' });
	const commander = await as('commander');
	const p = await commander.patch(`/api/v1/facilities/${fac.id}`, { phone: '0532-88886667' });
	assert.equal(p.status, 200, p.what);
	assert.equal(p.json.phone, '0532-88886667');
});

h.test('rooms: a bad capacity or number is 400 naming it, a taken number 409, nothing added', async () => {
	const commander = await as('commander');
	assertError(await commander.post(`/api/v1/facilities/${fac.id}/rooms`, { rooms: [{ number: '201', capacity: 1 }, { number: '202', capacity: 0 }] }),
		400, { code: 'invalid_capacity', field: 'rooms[1].capacity' });
	assertError(await commander.post(`/api/v1/facilities/${fac.id}/rooms`, { rooms: [{ number: '', capacity: 1 }] }),
		400, { code: 'invalid_number', field: 'rooms[0].number' });
	assertError(await commander.post(`/api/v1/facilities/${fac.id}/rooms`, { rooms: [{ number: '101', capacity: 1 }] }),
		409, { code: 'room_taken' });
	assert.equal((await commander.ok(`/api/v1/facilities/${fac.id}`)).capacity, 5, 'room 201 was not kept');
	const board = await commander.ok(`/api/v1/facilities/${fac.id}/board`);
	assert.deepEqual(board.rooms.map((x) => x.number), ['101', '102', '103']);
});

h.test('a close contact is placed for the policy\'s stages: 7 days centralised, then 3 at home', async () => {
	const community1 = await as('community1');
	const r = await place(community1, {
		person_id: people[0].id, reason: 'close_contact', facility_id: fac.id, room_id: rooms['101'].id,
	});
	assert.equal(r.status, 201, r.what);
	const [c, m] = r.json.items;
	assert.equal(r.json.items.length, 2);
	assert.equal(c.kind, 'centralised');
	assert.equal(c.reason, 'close_contact');
	assert.equal(c.person.id, people[0].id);
	assert.equal(c.start_day, today);
	assert.equal(c.end_day, addDays(today, 7));
	assert.equal(c.day_no, 1);
	assert.deepEqual(c.test_days, [1, 2, 3, 5, 7]);
	assert.deepEqual(c.tests.map((t) => t.due_day), [1, 2, 3, 5, 7].map((d) => addDays(today, d - 1)));
	assert.ok(c.tests.every((t) => t.status === 'due' && t.door === false && t.late === false));
	assert.equal(c.facility_id, fac.id);
	assert.equal(c.room_number, '101');
	assert.equal(c.status, 'active');
	assert.equal(typeof c.policy_version, 'number');
	assert.equal(c.follows_id, null);
	assert.equal(m.kind, 'home_monitoring');
	assert.equal(m.follows_id, c.id);
	assert.equal(m.start_day, c.end_day);
	assert.equal(m.end_day, addDays(today, 10));
	assert.deepEqual(m.test_days, [3]);
	assert.equal(m.tests[0].due_day, addDays(today, 9));
	assert.equal(m.tests[0].door, true);
	assert.equal(m.facility_id, null);
	const board = await community1.ok(`/api/v1/facilities/${fac.id}/board`, { query: { days: 3 } });
	assert.equal(board.days.length, 3);
	assert.equal(board.days[0].occupied, 1);
	assert.equal(board.days[0].arrivals, 1);
	assert.deepEqual(board.rooms.find((x) => x.number === '101').occupants.map((o) => o.placement_id), [c.id]);
	assert.ok(board.arrivals.some((p) => p.id === c.id));
});

h.test('a second placement overlapping the first is 409 naming start_day; nothing is stored', async () => {
	const community1 = await as('community1');
	const r = await place(community1, { person_id: people[0].id, reason: 'secondary_contact', start_day: addDays(today, 9) });
	assertError(r, 409, { code: 'placement_overlap', field: 'start_day' });
	assert.equal((await placementsOf(community1, people[0].id)).length, 2);
	const after = await place(community1, { person_id: people[0].id, reason: 'secondary_contact', start_day: addDays(today, 30) });
	assert.equal(after.status, 201, 'a placement after the last one is fine: ' + after.what);
	assert.equal(after.json.items[0].kind, 'home_isolation');
	assert.deepEqual(after.json.items[0].tests.map((t) => t.door), [true, true, true]);
});

h.test('a full room is 409 naming room_id; the person gets no placement', async () => {
	const community1 = await as('community1');
	const r = await place(community1, { person_id: people[1].id, reason: 'high_risk_arrival', room_id: rooms['101'].id });
	assertError(r, 409, { code: 'room_full', field: 'room_id' });
	assert.equal((await placementsOf(community1, people[1].id)).length, 0);
	const cap = await (await as('commander')).patch(`/api/v1/rooms/${rooms['101'].id}`, { capacity: 0 });
	assertError(cap, 400, { code: 'invalid_capacity', field: 'capacity' });
	assertError(await (await as('commander')).patch(`/api/v1/rooms/${rooms['101'].id}`, { capacity: -3 }), 400, { code: 'invalid_capacity', field: 'capacity' });
});

h.test('bad input names its field; unknown and out-of-scope ids read alike', async () => {
	const community1 = await as('community1');
	const p = people[2].id;
	assertError(await place(community1, { person_id: p, reason: 'flu' }), 400, { code: 'invalid_reason', field: 'reason' });
	assertError(await place(community1, { person_id: p, reason: 'close_contact', kind: 'hotel' }), 400, { code: 'invalid_kind', field: 'kind' });
	assertError(await place(community1, { person_id: p, reason: 'close_contact', start_day: '2026-02-30' }), 400, { field: 'start_day' });
	assertError(await place(community1, { reason: 'close_contact' }), 400, { field: 'person_id' });
	assertError(await place(community1, { person_id: p }), 400, { code: 'missing_reason', field: 'reason' });
	assertError(await place(community1, { person_id: p, reason: 'secondary_contact', facility_id: fac.id }), 422, { field: 'facility_id' });
	const out = await place(community1, { person_id: others[0].id, reason: 'close_contact' });
	const missing = await place(community1, { person_id: '999999999', reason: 'close_contact' });
	assertError(out, 404, { code: 'person_not_found', field: 'person_id' });
	assertSameAsMissing(out, missing, others[0].id, '999999999');
	assertError(await place(community1, { person_id: p, reason: 'close_contact', facility_id: '999999999' }), 404, { code: 'facility_not_found', field: 'facility_id' });
	assertError(await place(community1, { person_id: p, reason: 'close_contact', room_id: '999999999' }), 404, { code: 'room_not_found', field: 'room_id' });
	assertError(await place(community1, { contact_id: '999999999' }), 404, { code: 'contact_not_found', field: 'contact_id' });
	const closed = assertCreated(await (await as('commander')).post('/api/v1/facilities', {
		name: '停用酒店', area_id: fac.area_id, active: false,
	}));
	assertError(await place(community1, { person_id: p, reason: 'close_contact', facility_id: closed.id }), 409, { code: 'facility_inactive', field: 'facility_id' });
	assert.equal((await placementsOf(community1, p)).length, 0, 'nothing stored');
	assertError(await community1.get('/api/v1/placements', { query: { status: 'open' } }), 400, { code: 'invalid_status', field: 'status' });
	assertError(await community1.get('/api/v1/placements', { query: { kind: 'hotel' } }), 400, { field: 'kind' });
	assertError(await community1.get('/api/v1/placements', { query: { cursor: 'abc' } }), 400, { field: 'cursor' });
	assertError(await community1.get('/api/v1/placements', { query: { area_id: (await areaByCode(await as('commander'), OTHER_COMMUNITY)).id } }), 404, { field: 'area_id' });
	assertError(await (await as('grid1')).post('/api/v1/placements', { person_id: p, reason: 'close_contact' }), 403);
});

h.test('a contact of a case is placed in one step; a positive test while placed is a case of its chain', async () => {
	const community1 = await as('community1');
	const [casePerson, closePerson, secondPerson] = traced;
	const kase = assertCreated(await community1.post('/api/v1/cases', {
		person_id: casePerson.id, status: 'confirmed', found_by: 'screening',
	}));
	const contact = (body) => community1.post(`/api/v1/cases/${kase.id}/contacts`, {
		place: '张村菜市场', met_at: `${addDays(today, -1)}T20:00:00+08:00`, exposure: 'shared_space',
		certainty: 'confirmed', source: 'named_by_case', ...body,
	});
	const close = assertCreated(await contact({ person_id: closePerson.id, kind: 'close' }));
	const second = assertCreated(await contact({ person_id: secondPerson.id, kind: 'secondary', via_contact_id: close.id }));
	assertError(await place(community1, { contact_id: close.id, reason: 'secondary_contact' }), 400, { code: 'invalid_reason', field: 'reason' });
	const out = await place(await as('community2'), { contact_id: close.id });
	assertSameAsMissing(out, await place(await as('community2'), { contact_id: '999999999' }), close.id, '999999999');
	const r = await place(community1, { contact_id: close.id, facility_id: fac.id });
	assert.equal(r.status, 201, r.what);
	const [c, m] = r.json.items;
	assert.equal(c.reason, 'close_contact');
	assert.equal(c.kind, 'centralised');
	assert.equal(c.contact_id, close.id);
	assert.equal(c.case_id, kase.id);
	assert.equal(c.person.id, closePerson.id);
	assert.equal(m.kind, 'home_monitoring');
	assert.equal(m.contact_id, close.id);
	const listed = (await community1.ok(`/api/v1/cases/${kase.id}/contacts`)).items;
	const placed = listed.find((x) => x.id === close.id);
	assert.equal(placed.status, 'placed');
	assert.equal(placed.placement_id, c.id);
	assertError(await place(community1, { contact_id: close.id }), 409, { code: 'contact_placed', field: 'contact_id' });
	const s2 = assertCreated(await place(community1, { contact_id: second.id })).items;
	assert.equal(s2.length, 1);
	assert.equal(s2[0].reason, 'secondary_contact');
	assert.equal(s2[0].kind, 'home_isolation');
	const pos = await (await as('lab1')).post(`/api/v1/isolation/tests/${c.tests[0].id}`, { result: 'positive' });
	assert.equal(pos.status, 200, pos.what);
	const newCase = await community1.ok(`/api/v1/cases/${pos.json.case_id}`);
	assert.equal(newCase.person.id, closePerson.id);
	assert.equal(newCase.found_by, 'isolation_test');
	assert.equal(newCase.source_case_id, kase.id, 'the case links to the case whose contact it was');
	assert.equal(newCase.generation, kase.generation + 1);
});

h.test('requests sent at once: one placement per person, one person in a one-bed room', async () => {
	const community1 = await as('community1');
	const commander = await as('commander');
	const twins = await Promise.all([0, 1, 2, 3, 4, 5].map(() => place(community1, { person_id: people[3].id, reason: 'secondary_contact' })));
	assert.deepEqual(twins.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409], twins.map((r) => r.what).join('\n'));
	assert.equal((await placementsOf(community1, people[3].id)).length, 1);
	const bed = assertCreated(await commander.post(`/api/v1/facilities/${fac.id}/rooms`, { rooms: [{ number: '901', capacity: 1 }] }));
	const room = bed.items[0];
	const race = await Promise.all([4, 5, 6].map((i) => place(community1, { person_id: people[i].id, reason: 'high_risk_arrival', room_id: room.id })));
	assert.deepEqual(race.map((r) => r.status).sort(), [201, 409, 409], race.map((r) => r.what).join('\n'));
	assert.ok(race.filter((r) => r.status === 409).every((r) => r.json.error.code === 'room_full'));
	const board = await commander.ok(`/api/v1/facilities/${fac.id}/board`);
	assert.equal(board.rooms.find((x) => x.number === '901').occupants.length, 1);
	assert.equal(board.rooms.find((x) => x.number === '901').occupied, 1);
});

h.test('scope: a grid worker lists and reads only its own people under placement', async () => {
	const grid1 = await as('grid1');
	const grid2 = await as('grid2');
	const mine = (await grid1.ok('/api/v1/placements', { query: { limit: 200 } })).items;
	assert.ok(mine.some((p) => p.person.id === people[0].id));
	assert.ok(mine.every((p) => gridIds.has(p.person.id)), 'only grid 1\'s people');
	assert.ok(mine.every((p) => p.person.id_number.includes('*')), 'grid workers see masked ID numbers');
	assert.equal((await grid2.ok('/api/v1/placements')).items.length, 0);
	const id = mine[0].id;
	const out = await grid2.get(`/api/v1/placements/${id}`);
	const missing = await grid2.get('/api/v1/placements/999999999');
	assertError(out, 404, { code: 'placement_not_found' });
	assertSameAsMissing(out, missing, id, '999999999');
	const other = assertCreated(await place(await as('community2'), { person_id: others[1].id, reason: 'secondary_contact' }));
	assertSameAsMissing(await grid1.get(`/api/v1/placements/${other.items[0].id}`), missing, other.items[0].id, '999999999');
	const page = await grid1.ok('/api/v1/placements', { query: { limit: 1 } });
	assert.equal(page.items.length, 1);
	const next = await grid1.ok('/api/v1/placements', { query: { limit: 1, cursor: page.next_cursor } });
	assert.ok(next.items[0].id < page.items[0].id);
});

h.test('a transfer takes a placed person to the hotel; arrival sets the room; the board shows it', async () => {
	const community1 = await as('community1');
	const pl = assertCreated(await place(community1, { person_id: people[7].id, reason: 'high_risk_arrival' })).items[0];
	assert.equal(pl.kind, 'centralised');
	assert.equal(pl.facility_id, null);
	const t = assertCreated(await community1.post(`/api/v1/placements/${pl.id}/transfers`, {
		facility_id: fac.id, vehicle: '鲁B·12345', escort: '李医生',
	}));
	assert.equal(t.placement_id, pl.id);
	assert.equal(t.arrived_at, null);
	let board = await community1.ok(`/api/v1/facilities/${fac.id}/board`);
	assert.ok(board.arrivals.some((p) => p.id === pl.id), 'on the way');
	const expected = board.facility.expected;
	assert.ok(expected >= 1, 'the person on the way is expected, not in a room');
	assertError(await community1.post(`/api/v1/placements/${pl.id}/transfers`, { facility_id: fac.id, vehicle: '', escort: 'x' }),
		400, { field: 'vehicle' });
	assertError(await community1.post(`/api/v1/placements/${pl.id}/transfers`, { facility_id: fac.id, vehicle: '鲁B·99999', escort: '王' }),
		409, { code: 'transfer_on_way' });
	const tomorrow = addDays(today, 1);
	const onWay = await community1.ok('/api/v1/transfers', { query: { facility_id: fac.id, day: tomorrow } });
	assert.deepEqual(onWay.items.filter((x) => x.placement_id === pl.id).map((x) => x.id), [t.id],
		'a transfer still on its way shows on the next day');
	const a = await community1.post(`/api/v1/transfers/${t.id}/arrive`, { room_id: rooms['102'].id });
	assert.equal(a.status, 200, a.what);
	assert.ok(a.json.arrived_at);
	assertError(await community1.post(`/api/v1/transfers/${t.id}/arrive`, {}), 409, { code: 'transfer_arrived' });
	const got = await community1.ok(`/api/v1/placements/${pl.id}`);
	assert.equal(got.room_number, '102');
	assert.equal(got.facility_name, '崂山区隔离酒店');
	board = await community1.ok(`/api/v1/facilities/${fac.id}/board`);
	assert.ok(board.rooms.find((x) => x.number === '102').occupants.some((o) => o.placement_id === pl.id));
	assert.equal(board.facility.expected, expected - 1, 'arrived: no longer expected');
	assert.equal(board.facility.occupied, board.rooms.reduce((n, r) => n + r.occupied, 0));
	const list = await community1.ok('/api/v1/transfers', { query: { facility_id: fac.id, day: today } });
	assert.ok(list.items.some((x) => x.id === t.id));
	const next = await community1.ok('/api/v1/transfers', { query: { facility_id: fac.id, day: tomorrow } });
	assert.ok(!next.items.some((x) => x.id === t.id), 'an arrived transfer stays on its day');
	assertCreated(await place(community1, { person_id: people[11].id, reason: 'high_risk_arrival', room_id: rooms['102'].id }));
	const commander = await as('commander');
	assertError(await commander.patch(`/api/v1/rooms/${rooms['102'].id}`, { capacity: 1 }), 409, { code: 'room_occupied', field: 'capacity' });
	const fine = await commander.patch(`/api/v1/rooms/${rooms['103'].id}`, { capacity: 3 });
	assert.equal(fine.status, 200, fine.what);
	assert.equal(fine.json.capacity, 3);
});

h.test('tests while placed: due today per area, sampled by the grid, resulted by the lab', async () => {
	const grid1 = await as('grid1');
	const lab1 = await as('lab1');
	const [c] = await placementsOf(grid1, people[0].id).then((l) => l.filter((p) => p.kind === 'centralised'));
	const due = await grid1.ok('/api/v1/isolation/tests', { query: { day: today } });
	const t = due.items.find((x) => x.placement_id === c.id);
	assert.ok(t, 'the day-1 test is due today');
	assert.equal(t.day_no, 1);
	assert.equal(t.door, false);
	assert.equal(t.person.id, people[0].id);
	const doors = (await grid1.ok('/api/v1/isolation/tests', { query: { day: today, door: 1 } })).items;
	assert.ok(!doors.some((x) => x.placement_id === c.id), 'a centralised test is not at the door');
	assert.ok(doors.every((x) => x.door));
	assert.equal((await (await as('grid2')).ok('/api/v1/isolation/tests', { query: { day: today } })).items.length, 0);
	assertError(await lab1.get('/api/v1/isolation/tests', { query: { day: today } }), 403);
	assertError(await grid1.post(`/api/v1/isolation/tests/${t.id}`, { result: 'negative' }), 403);
	assertError(await grid1.post(`/api/v1/isolation/tests/${t.id}`, { result: 'maybe' }), 400, { code: 'invalid_result', field: 'result' });
	const s = await grid1.post(`/api/v1/isolation/tests/${t.id}`, { result: 'sampled' });
	assert.equal(s.status, 200, s.what);
	assert.equal(s.json.status, 'sampled');
	const n = await lab1.post(`/api/v1/isolation/tests/${t.id}`, { result: 'negative' });
	assert.equal(n.status, 200, n.what);
	assert.equal(n.json.status, 'negative');
	assert.equal(n.json.late, false);
	assertError(await lab1.post(`/api/v1/isolation/tests/${t.id}`, { result: 'positive' }), 409, { code: 'test_resulted' });
	const later = c.tests.find((x) => x.day_no === 2);
	assertError(await lab1.post(`/api/v1/isolation/tests/${later.id}`, { result: 'negative' }), 409, { code: 'test_not_due' });
	const [arrival] = await placementsOf(grid1, people[7].id);
	const pos = await lab1.post(`/api/v1/isolation/tests/${arrival.tests[0].id}`, { result: 'positive' });
	assert.equal(pos.status, 200, pos.what);
	assert.equal(pos.json.status, 'positive');
	assert.ok(pos.json.case_id, 'a positive while placed is a case');
});

h.test('end day: not before the start (422), not into the next placement (409), moved with a reason', async () => {
	const community1 = await as('community1');
	const [c, m] = (await placementsOf(community1, people[0].id)).filter((p) => p.start_day < addDays(today, 20)).reverse();
	assert.equal(c.kind, 'centralised');
	assertError(await community1.post(`/api/v1/placements/${c.id}/end-day`, { end_day: today, reason: '误录' }),
		422, { code: 'end_before_start', field: 'end_day' });
	assertError(await community1.post(`/api/v1/placements/${c.id}/end-day`, { end_day: addDays(today, 8), reason: '延长' }),
		409, { code: 'placement_overlap', field: 'end_day' });
	assertError(await community1.post(`/api/v1/placements/${c.id}/end-day`, { end_day: addDays(today, 8), reason: ' ' }),
		400, { field: 'reason' });
	const ext = await community1.post(`/api/v1/placements/${m.id}/end-day`, { end_day: addDays(m.end_day, 2), reason: '症状未消' });
	assert.equal(ext.status, 200, ext.what);
	assert.equal(ext.json.end_day, addDays(today, 12));
	const short = await community1.post(`/api/v1/placements/${c.id}/end-day`, { end_day: addDays(today, 4), reason: '政策调整' });
	assert.equal(short.status, 200, short.what);
	assert.deepEqual(short.json.tests.map((t) => t.day_no), [1, 2, 3], 'tests after the new end are dropped');
	const next = assertCreated(await place(community1, {
		person_id: people[12].id, reason: 'high_risk_arrival', start_day: addDays(today, 4), room_id: rooms['101'].id,
	})).items[0];
	assert.equal(next.room_number, '101', 'the one bed is free from the new end on');
	assertError(await community1.post(`/api/v1/placements/${c.id}/end-day`, { end_day: addDays(today, 5), reason: '延长' }),
		409, { code: 'room_full', field: 'room_id' });
	const audit = await (await as('admin')).ok('/api/v1/audit', { query: { action: 'placement.end_day', target_id: c.id } });
	assert.equal(audit.items.length, 1, 'the refused changes left no audit row');
	const detail = JSON.stringify(audit.items[0]);
	assert.ok(detail.includes('政策调整') && detail.includes(c.end_day), detail);
	const future = assertCreated(await place(community1, { person_id: people[8].id, reason: 'secondary_contact', start_day: addDays(today, 2) })).items[0];
	assertError(await community1.post(`/api/v1/placements/${future.id}/release`, { reason: '提前解除' }),
		422, { code: 'release_before_start', field: 'start_day' });
	assertError(await (await as('grid1')).post(`/api/v1/placements/${future.id}/release`, { reason: 'x' }), 403);
});

h.test('the job releases a placement on its day when its tests are in; one missing a test is overdue with an alert', async () => {
	const community1 = await as('community1');
	const done = assertCreated(await place(community1, { person_id: people[9].id, reason: 'secondary_contact' })).items[0];
	const missed = assertCreated(await place(community1, { person_id: people[10].id, reason: 'secondary_contact' })).items[0];
	assert.deepEqual(done.test_days, [1, 4, 7]);
	const result = async (pl, dayNo) => {
		const t = pl.tests.find((x) => x.day_no === dayNo);
		const r = await (await as('lab1')).post(`/api/v1/isolation/tests/${t.id}`, { result: 'negative' });
		assert.equal(r.status, 200, r.what);
		return r.json;
	};
	await result(done, 1);
	await result(missed, 1);
	await advance('P3D');
	await result(done, 4);
	await advance('P3D');
	await result(done, 7);
	const releases = await (await as('grid1')).ok('/api/v1/isolation/releases', { query: { day: done.end_day } });
	assert.ok(releases.items.some((p) => p.id === done.id) && releases.items.some((p) => p.id === missed.id));
	assert.equal((await (await as('grid1')).ok(`/api/v1/placements/${done.id}`)).status, 'active', 'not before its day');
	await advance('P1D');
	const grid1 = await as('grid1');
	await waitFor(async () => (await grid1.ok(`/api/v1/placements/${done.id}`)).status === 'released', 'the job to release it');
	const d = await grid1.ok(`/api/v1/placements/${done.id}`);
	assert.equal(d.end_day, addDays(today, 7));
	assert.ok(d.released_at);
	await waitFor(async () => (await grid1.ok(`/api/v1/placements/${missed.id}`)).status === 'overdue', 'the job to mark it overdue');
	const overdue = await grid1.ok('/api/v1/placements', { query: { status: 'overdue' } });
	assert.ok(overdue.items.some((p) => p.id === missed.id), 'on the grid\'s list');
	const alerts = await grid1.ok('/api/v1/alerts', { query: { kind: 'placement_overdue' } });
	assert.ok(alerts.items.some((a) => a.payload && a.payload.placement_id === missed.id), JSON.stringify(alerts.items));
	assert.equal((await (await as('grid2')).ok('/api/v1/alerts', { query: { kind: 'placement_overdue' } })).items.length, 0);
	const late = await result(missed, 7);
	assert.equal(late.late, true, 'a result after the end is stored, marked late');
	const rel = await community1.post(`/api/v1/placements/${missed.id}/release`, { reason: '补检阴性' });
	assert.equal(rel.status, 401, 'the session expired with the clock');
	const c1 = await as('community1');
	const again = await c1.post(`/api/v1/placements/${missed.id}/release`, { reason: '补检阴性' });
	assert.equal(again.status, 200, again.what);
	assert.equal(again.json.status, 'released');
	assert.equal(again.json.end_day, missed.end_day, 'released after its end keeps its end day');
	assertError(await c1.post(`/api/v1/placements/${missed.id}/release`, { reason: '再次' }), 409, { code: 'placement_closed' });
});

h.test('the streams hear of a placement made, transferred and released (event placement), naming no one', async () => {
	const community1 = await as('community1');
	const used = new Set([...people, ...traced].map((p) => p.id));
	const free = (await residents(community1, COMMUNITY)).filter((p) => !used.has(p.id) && !gridIds.has(p.id));
	const person = free[free.length - 1];
	const s = await new Stream(h.base, community1).open();
	const far = await new Stream(h.base, await as('community2')).open();
	const from = await s.mark(await as('admin'), (await areaByCode(community1, COMMUNITY)).id);
	const pl = assertCreated(await place(community1, { person_id: person.id, reason: 'high_risk_arrival' })).items[0];
	assertError(await place(community1, { person_id: person.id, reason: 'high_risk_arrival' }), 409);
	assertCreated(await community1.post(`/api/v1/placements/${pl.id}/transfers`, {
		facility_id: fac.id, vehicle: '鲁B·54321', escort: '赵医生',
	}));
	const r = await community1.post(`/api/v1/placements/${pl.id}/release`, { reason: '解除' });
	assert.equal(r.status, 200, r.what);
	await s.waitFor((x) => x.event === 'placement' && x.data.payload.action === 'released');
	const mine = s.events.slice(from).filter((x) => x.event === 'placement' && x.data.payload.placement_id === pl.id);
	assert.deepEqual(mine.map((x) => x.data.payload.action), ['placed', 'transferred', 'released']);
	assert.deepEqual(mine[1].data.payload, { placement_id: pl.id, action: 'transferred', kind: 'centralised',
		status: 'active', facility_id: fac.id });
	assert.equal(mine[0].data.area_path, person.area_path);
	assert.ok(!JSON.stringify(mine).includes(person.name), 'no name in the events');
	assert.ok(!far.events.some((x) => x.event === 'placement' && x.data.payload.placement_id === pl.id),
		'another community hears nothing');
	s.close();
	far.close();
});

h.shutdownTest();
