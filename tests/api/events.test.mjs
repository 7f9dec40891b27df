// events: the live event stream GET /api/v1/events (Server-Sent Events read with fetch
// streaming) and alerts. A command-centre notice (POST /api/v1/alerts) raises an alert and an
// event; each stream gets only the events of its scope; Last-Event-ID resumes; the stream
// sends a heartbeat; alerts are listed within scope and acknowledged; a registration scan
// pulses "coverage" to every stream overlapping the round's areas, once a second however many
// scans; and serve still stops at once, exit 0, with streams open.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode } from './lib/harness.mjs';
import { Stream } from './lib/sse.mjs';
import { COMMUNITY, GRID, barcode, openRound, makeSite, residents, openTube, scan, userId } from './lib/tubes.mjs';

const h = harness('events');
const streams = []; // every stream opened, checked at shutdown

async function stream(user, headers, query) {
	const s = await new Stream(h.base, await h.login(user), headers, query).open();
	streams.push(s);
	assert.equal(s.res.status, 200, `${user} GET /api/v1/events -> ${s.res.status}`);
	return s;
}

let n = 0;
async function notice(areaCode, who = 'admin') {
	const c = await h.login(who);
	const area = await areaByCode(await h.login('admin'), areaCode);
	const title = `notice ${++n} to ${areaCode}`;
	const r = await c.post('/api/v1/alerts', {
		kind: 'notice', area_id: area.id, title_zh: `通知${n}：${areaCode}`, title_en: title,
		body: '请今天 18:00 前完成本网格核酸采样',
	});
	const a = assertCreated(r);
	assert.equal(r.status, 201, r.what);
	return { alert: a, title, area };
}

const G1 = '370212001001G01';
const G2 = '370212001002G01';
let early; // opened first, checked for the heartbeat at the end

h.test('GET /api/v1/events: roles, login and a bad Last-Event-ID', async () => {
	early = await stream('commander');
	assertError(await h.anon().get('/api/v1/events'), 401, { code: 'login_required' });
	for (const u of ['lab1', 'resident1', 'registrar1', 'volunteer1'])
		assertError(await (await h.login(u)).get('/api/v1/events'), 403, { code: 'forbidden' });
	const grid1 = await h.login('grid1');
	assertError(await grid1.get('/api/v1/events', { headers: { 'last-event-id': 'abc' } }), 400,
		{ code: 'invalid_last_event_id', field: 'Last-Event-ID' });
	assertError(await grid1.get('/api/v1/events', { query: { last_event_id: '-1' } }), 400,
		{ field: 'last_event_id' });
});

h.test('a stream is text/event-stream, not cached, and says it is connected', async () => {
	const s = await stream('grid1');
	assert.match(s.res.headers.get('content-type'), /^text\/event-stream/);
	assert.equal(s.res.headers.get('cache-control'), 'no-store');
	const until = Date.now() + 5000;
	while (!s.comments.includes('connected') && Date.now() < until)
		await new Promise((r) => setTimeout(r, 20));
	assert.ok(s.comments.includes('connected'), `no ": connected" comment: ${JSON.stringify(s.comments)}`);
	assert.ok(s.retry > 0, 'the stream tells the reconnect delay');
	s.close();
});

const live = {};
let firstG1; // the first notice to grid 1: {alert, title, event}

h.test('a notice to a grid reaches the streams whose scope covers it, and no other', async () => {
	for (const u of ['commander', 'community1', 'grid1', 'grid2', 'building1'])
		live[u] = await stream(u);
	const a = await notice(G1);
	assert.equal(a.alert.kind, 'notice');
	assert.equal(a.alert.area_id, a.area.id);
	assert.equal(a.alert.title_en, a.title);
	assert.equal(a.alert.acked, false);
	assert.equal(a.alert.payload.body, '请今天 18:00 前完成本网格核酸采样');
	assert.equal(a.alert.payload.by_name.length > 0, true);
	const ev = await live.grid1.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === a.title);
	assert.match(ev.id, /^\d+$/);
	assert.equal(ev.data.kind, 'alert');
	assert.equal(ev.data.area_path, a.area.path);
	assert.equal(ev.data.payload.id, a.alert.id);
	assert.equal(ev.data.payload.area_name, a.area.name);
	assert.equal(ev.data.payload.title_zh, a.alert.title_zh);
	firstG1 = { ...a, event: ev };
	await live.commander.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === a.title);
	await live.community1.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === a.title);

	// Events arrive in order: once grid2 has its own notice, it would have had grid1's.
	const b = await notice(G2, 'commander');
	await live.grid2.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === b.title);
	assert.deepEqual(live.grid2.notices(a.title), [], 'grid2 got grid1\'s notice');
	await live.commander.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === b.title);
	const c = await notice(G1);
	await live.grid1.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === c.title);
	assert.deepEqual(live.grid1.notices(b.title), [], 'grid1 got grid2\'s notice');
	// A notice to the grid is not inside one building's scope.
	const d = await notice(`${G1}B01`);
	await live.building1.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === d.title);
	assert.deepEqual(live.building1.notices(a.title), []);
	assert.equal(live.grid1.notices(a.title).length, 1, 'an event comes once');
});

h.test('Last-Event-ID (or ?last_event_id=) replays what a stream missed', async () => {
	const after = firstG1.event.id;
	const s = await stream('grid1', { 'last-event-id': after });
	const later = live.grid1.events.filter((e) => BigInt(e.id) > BigInt(after));
	assert.ok(later.length >= 1);
	for (const e of later) await s.waitFor((x) => x.id === e.id);
	assert.deepEqual(s.notices(firstG1.title), [], 'the event of Last-Event-ID itself is not sent again');
	assert.ok(!s.events.some((e) => e.event === 'resync'), 'no gap: no resync');
	const q = await stream('grid1', {}, `?last_event_id=${after}`);
	await q.waitFor((x) => x.id === later[0].id);
	s.close();
	q.close();
});

h.test('a Last-Event-ID this store never gave, or from before the ring, begins with resync', async () => {
	const seen = await notice(G1);
	const s0 = await stream('grid1', {}, '');
	const newest = (await notice(G1)).title;
	const heard = await s0.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === newest);
	s0.close();
	// Above the newest id: from another epoch (a store made anew); from now on, after resync.
	const far = await stream('grid1', { 'last-event-id': String(BigInt(heard.id) + (1n << 40n)) });
	const r1 = await far.waitFor((e) => e.event === 'resync', 5000, 'resync');
	assert.deepEqual(r1.data, { reason: 'epoch' });
	assert.equal(far.events[0].event, 'resync', 'resync comes first');
	const later = await notice(G1);
	await far.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === later.title);
	assert.deepEqual(far.notices(seen.title), [], 'nothing from before is replayed');
	assert.deepEqual(far.notices(newest), []);
	far.close();
	// Far below the ring: events after it may be lost.
	const old = await stream('grid1', { 'last-event-id': '1' });
	assert.deepEqual((await old.waitFor((e) => e.event === 'resync', 5000, 'resync')).data, { reason: 'gap' });
	old.close();
});

h.test('POST /api/v1/alerts: who may raise a notice, and its checks', async () => {
	const admin = await h.login('admin');
	const g1 = await areaByCode(admin, G1);
	const body = { kind: 'notice', area_id: g1.id, title_zh: '通知', title_en: 'Notice' };
	for (const u of ['grid1', 'community1', 'building1', 'lab1'])
		assertError(await (await h.login(u)).post('/api/v1/alerts', body), 403);
	assertError(await admin.post('/api/v1/alerts', body, { csrf: false }), 403, { code: 'csrf' });
	assertError(await admin.post('/api/v1/alerts', { ...body, kind: 'positive_pool' }), 400,
		{ code: 'invalid_kind', field: 'kind' });
	assertError(await admin.post('/api/v1/alerts', { ...body, title_zh: '   ' }), 400, { field: 'title_zh' });
	assertError(await admin.post('/api/v1/alerts', { ...body, title_zh: 'x'.repeat(201) }), 400,
		{ field: 'title_zh' });
	assertError(await admin.post('/api/v1/alerts', { kind: 'notice', area_id: g1.id }), 400,
		{ code: 'missing_field', field: 'title_zh' });
	assertError(await admin.post('/api/v1/alerts', { ...body, area_id: '999999999' }), 404,
		{ code: 'area_not_found' });
	assertError(await admin.post('/api/v1/alerts', { ...body, extra: 1 }), 400, { code: 'unknown_field' });
	// Without title_en the Chinese title stands for both.
	const r = await admin.post('/api/v1/alerts', { kind: 'notice', area_id: g1.id, title_zh: '仅中文' });
	assert.equal(r.status, 201, r.what);
	assert.equal(r.json.title_en, '仅中文');
	// Each notice is audited.
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'alert.notice' } });
	assert.ok(audit.items.some((x) => x.target_id === r.json.id), JSON.stringify(audit.items[0]));
});

h.test('GET /api/v1/alerts lists alerts in scope, newest first, with filters', async () => {
	const grid1 = await h.login('grid1');
	const commander = await h.login('commander');
	const mine = await grid1.ok('/api/v1/alerts');
	assert.ok(mine.items.length >= 2);
	for (const a of mine.items) assert.ok(a.area_path.startsWith(grid1.me.scopes[0].path), a.area_path);
	assert.ok(mine.items.some((a) => a.title_en === firstG1.title));
	const all = await commander.ok('/api/v1/alerts');
	assert.ok(all.items.length > mine.items.length);
	const times = all.items.map((a) => a.raised_at);
	assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
	for (const k of ['id', 'kind', 'area_id', 'area_path', 'area_name', 'title', 'title_zh', 'title_en',
		'payload', 'raised_at', 'acked', 'acked_at', 'acked_by'])
		assert.ok(k in all.items[0], `alert lacks ${k}`);
	grid1.lang = 'en';
	assert.equal((await grid1.ok('/api/v1/alerts', { query: { limit: 1 } })).items[0].title,
		mine.items[0].title_en);
	grid1.lang = null;
	assert.equal((await grid1.ok('/api/v1/alerts', { query: { limit: 1 } })).items[0].title,
		mine.items[0].title_zh);
	const g2 = await areaByCode(commander, G2);
	const under = await commander.ok('/api/v1/alerts', { query: { area_id: g2.id } });
	assert.ok(under.items.length >= 1);
	for (const a of under.items) assert.ok(a.area_path.startsWith(g2.path));
	assertError(await grid1.get('/api/v1/alerts', { query: { area_id: g2.id } }), 404, { code: 'area_not_found' });
	assertError(await grid1.get('/api/v1/alerts', { query: { acked: 'maybe' } }), 400, { field: 'acked' });
	assertError(await grid1.get('/api/v1/alerts', { query: { limit: 0 } }), 400, { field: 'limit' });
	assertError(await grid1.get('/api/v1/alerts', { query: { kind: 'Not A Kind' } }), 400, { field: 'kind' });
	assert.equal((await grid1.ok('/api/v1/alerts', { query: { kind: 'positive_pool' } })).items.length, 0);
	for (const u of ['lab1', 'resident1'])
		assertError(await (await h.login(u)).get('/api/v1/alerts'), 403);
});

h.test('POST /api/v1/alerts/{id}/ack: in scope only, once, announced to the streams', async () => {
	const grid1 = await h.login('grid1');
	const grid2 = await h.login('grid2');
	const id = firstG1.alert.id;
	assertError(await grid2.post(`/api/v1/alerts/${id}/ack`), 404, { code: 'alert_not_found' });
	assertError(await grid1.post('/api/v1/alerts/123/ack'), 404);
	assertError(await grid1.post('/api/v1/alerts/abc/ack'), 404);
	assertError(await grid1.post(`/api/v1/alerts/${id}/ack`, undefined, { csrf: false }), 403, { code: 'csrf' });
	const r = await grid1.post(`/api/v1/alerts/${id}/ack`);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.acked, true);
	assert.equal(r.json.acked_by, grid1.me.id);
	assert.ok(r.json.acked_at);
	const ev = await live.commander.waitFor((e) => e.event === 'alert_ack' && e.data.payload.id === id);
	assert.equal(ev.data.payload.acked_by, grid1.me.id);
	const again = await (await h.login('community1')).post(`/api/v1/alerts/${id}/ack`);
	assert.equal(again.status, 200, again.what);
	assert.equal(again.json.acked_by, grid1.me.id, 'the first acknowledgement stands');
	assert.equal(again.json.acked_at, r.json.acked_at);
	const open = await grid1.ok('/api/v1/alerts', { query: { acked: 'false' } });
	assert.ok(!open.items.some((a) => a.id === id));
	const done = await grid1.ok('/api/v1/alerts', { query: { acked: 'true' } });
	assert.ok(done.items.some((a) => a.id === id));
});

h.test('a scan pulses "coverage" {round_id} to every stream overlapping the round, once a second', async () => {
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const round = await openRound(commander, '实时覆盖轮次');
	const site = await makeSite(community1, GRID, [await userId(await h.login('admin'), 'registrar1')]);
	const people = await residents(community1, COMMUNITY, 21);
	const area = await areaByCode(commander, COMMUNITY);
	const reg = await h.login('registrar1');
	live.community2 = await stream('community2');
	const isPulse = (e) => e.event === 'coverage' && e.data.payload.round_id === round.id;
	const pulses = (u) => live[u].events.filter(isPulse).length;

	const t1 = barcode('P');
	assertCreated(await openTube(reg, round, site, t1));
	assert.equal(pulses('commander'), 0, 'opening a tube changes no figure');
	const r = await scan(reg, t1, people[0]);
	assert.equal(r.status, 201, r.what);
	// The round's community: its staff, the district above, a grid and a building inside it.
	for (const u of ['commander', 'community1', 'grid1', 'building1']) {
		const ev = await live[u].waitFor(isPulse, 3000, `coverage pulse for ${u}`);
		assert.equal(ev.data.kind, 'coverage');
		assert.equal(ev.data.area_path, area.path, 'at the round\'s area');
		assert.deepEqual(Object.keys(ev.data.payload), ['round_id'], 'the pulse names the round and nothing else');
	}
	// The other community's staff and grid worker share no area with the round: a notice sent
	// there after the scan reaches them, and the pulse (which came before it) never did.
	const n2 = await notice('370212001002G01', 'commander');
	for (const u of ['grid2', 'community2']) {
		await live[u].waitFor((e) => e.event === 'alert' && e.data.payload.title_en === n2.title);
		assert.equal(pulses(u), 0, `${u} got the round's coverage pulse`);
	}

	// A burst: twenty scans at once make one event a second, not twenty. The server pulses on the
	// leading edge of a quiet second, so the burst starts once the last pulse's second is over:
	// a second after that pulse reached the stream, which was after the server counted it.
	const last = live.commander.events.filter(isPulse).at(-1);
	await new Promise((res) => setTimeout(res, Math.max(0, last.receivedAt + 1000 - Date.now())));
	const before = pulses('commander');
	const t2 = barcode('P'), t3 = barcode('P');
	assertCreated(await openTube(reg, round, site, t2));
	assertCreated(await openTube(reg, round, site, t3));
	const t0 = Date.now();
	const replies = await Promise.all(people.slice(1, 21).map((p, i) => scan(reg, i % 2 ? t2 : t3, p)));
	const took = Date.now() - t0;
	for (const x of replies) assert.equal(x.status, 201, x.what);
	// Every pulse of the burst was published before its scan's reply; a notice sent now follows
	// them all on the stream, so once it is here no pulse of the burst is still to come.
	const marker = await notice(COMMUNITY, 'commander');
	await live.commander.waitFor((e) => e.event === 'alert' && e.data.payload.title_en === marker.title);
	const burst = live.commander.events.filter(isPulse).slice(before);
	assert.ok(burst.length >= 1, 'the first scan of a quiet second pulses at once');
	assert.ok(burst.length <= 1 + Math.floor(took / 1000), `${burst.length} coverage events for 20 scans in ${took} ms`);
	// At most one a second, whatever the machine's speed: the server's own times of the pulses.
	const at = live.commander.events.filter(isPulse).map((e) => Date.parse(e.data.at));
	for (let i = 1; i < at.length; i++)
		assert.ok(at[i] - at[i - 1] >= 900, `pulses ${at[i] - at[i - 1]} ms apart: ${JSON.stringify(at)}`);
	assert.equal(pulses('grid1'), pulses('commander'), 'the grid worker hears as often as the district');
	assert.equal(pulses('grid2'), 0);
});

h.test('the stream sends a ": ping" heartbeat every 15 s', async () => {
	const until = early.openedAt + 17_000;
	while (!early.comments.includes('ping') && Date.now() < until)
		await new Promise((r) => setTimeout(r, 100));
	assert.ok(early.comments.includes('ping'), `no ping in ${JSON.stringify(early.comments)}`);
	assert.ok(!early.ended);
});

let stopAt;
h.test('streams are open when serve is stopped', async () => {
	const open = streams.filter((s) => !s.ended);
	assert.ok(open.length >= 5, `only ${open.length} streams open`);
	stopAt = Date.now();
});

h.shutdownTest();

h.test('every open stream ended promptly at shutdown', async () => {
	for (const s of streams) {
		if (s.abort.signal.aborted) continue;
		assert.ok(s.ended, `${s.client.username}'s stream did not end`);
		assert.ok(s.endedAt - stopAt < 5000, `${s.client.username}'s stream ended ${s.endedAt - stopAt} ms after SIGTERM`);
	}
});
