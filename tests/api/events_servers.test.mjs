// events_servers: live events across servers on one PostgreSQL store. An event made on one
// server is heard on the other with the same id; a stream that resumes with Last-Event-ID on
// the other server gets exactly the events it missed; a server started later fills its ring
// from the store and resumes too; a Last-Event-ID from another store begins with resync; a
// listener whose connection is cut reconnects and reads what it missed. On SQLite events stay
// in one process, so these cases are skipped there (events.test.mjs runs on both).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { harness, assertCreated, areaByCode, startServer, storeKind, Client, PASSWORD } from './lib/harness.mjs';
import { Stream } from './lib/sse.mjs';

const h = harness('events_servers');
const pgOnly = storeKind() === 'postgres' ? {} : { skip: 'events stay in one process on SQLite' };
const G1 = '370212001001G01';
let other; // the second server
const clients = new Map(); // `${base} ${user}` -> Client

async function login(base, user) {
	const k = `${base} ${user}`;
	if (!clients.has(k)) {
		const c = new Client(base, user);
		const r = await c.login(user, PASSWORD);
		assert.equal(r.status, 200, r.what);
		clients.set(k, c);
	}
	return clients.get(k);
}

async function stream(base, user, headers = {}) {
	const s = await new Stream(base, await login(base, user), headers).open();
	assert.equal(s.res.status, 200, `${user} GET /api/v1/events on ${base} -> ${s.res.status}`);
	return s;
}

let n = 0;
/* A notice to G1 posted through the server at base; resolves to its title. */
async function notice(base) {
	const admin = await login(base, 'admin');
	const g1 = await areaByCode(admin, G1);
	const title = `notice ${++n} from ${base}`;
	assertCreated(await admin.post('/api/v1/alerts', {
		kind: 'notice', area_id: g1.id, title_zh: `通知${n}`, title_en: title,
	}));
	return title;
}

const isNotice = (title) => (e) => e.event === 'alert' && e.data.payload.title_en === title;
const after = (s, id) => s.events.filter((e) => e.id && BigInt(e.id) > BigInt(id)).map((e) => e.id);

let live; // grid1's stream on the second server, open throughout
let mark; // the id of an event a closed stream saw last

h.test('an event made on one server is heard on the other, with the same id', pgOnly, async () => {
	other = await startServer(h.dbUrl);
	live = await stream(other.base, 'grid1');
	const here = await stream(h.base, 'grid1');
	const t1 = await notice(h.base);
	const a = await here.waitFor(isNotice(t1));
	const b = await live.waitFor(isNotice(t1));
	assert.equal(b.id, a.id, 'one id on every server');
	const t2 = await notice(other.base);
	const a2 = await here.waitFor(isNotice(t2));
	const b2 = await live.waitFor(isNotice(t2));
	assert.equal(a2.id, b2.id);
	assert.ok(BigInt(a2.id) > BigInt(a.id), 'ids rise across servers');
	mark = a2.id;
	here.close();
});

h.test('a resume with Last-Event-ID on the other server gets exactly the missed events', pgOnly, async () => {
	const t3 = await notice(h.base);
	const t4 = await notice(other.base);
	await live.waitFor(isNotice(t3));
	await live.waitFor(isNotice(t4));
	const missed = after(live, mark);
	assert.ok(missed.length >= 2);
	for (const base of [other.base, h.base]) {
		const s = await stream(base, 'grid1', { 'last-event-id': mark });
		await s.waitFor(isNotice(t4));
		assert.ok(!s.events.some((e) => e.event === 'resync'), 'no resync');
		assert.deepEqual(s.events.map((e) => e.id), missed, `on ${base}: the missed events, in order`);
		s.close();
	}
});

h.test('a server started later fills its ring from the store and resumes from it', pgOnly, async () => {
	await other.stop();
	const t5 = await notice(h.base);
	other = await startServer(h.dbUrl);
	live = await stream(other.base, 'grid1', { 'last-event-id': mark });
	await live.waitFor(isNotice(t5));
	assert.ok(!live.events.some((e) => e.event === 'resync'), 'no resync');
	assert.equal(live.events.filter((e) => e.event === 'alert').length, 3, 'the three notices after the mark');
	const t6 = await notice(h.base);
	await live.waitFor(isNotice(t6));
});

h.test('a Last-Event-ID from another store begins with resync on any server', pgOnly, async () => {
	const newest = live.events[live.events.length - 1].id;
	for (const base of [h.base, other.base]) {
		const s = await stream(base, 'grid1', { 'last-event-id': String(BigInt(newest) + 1000n) });
		assert.deepEqual((await s.waitFor((e) => e.event === 'resync')).data, { reason: 'epoch' });
		s.close();
		const old = await stream(base, 'grid1', { 'last-event-id': '5' });
		assert.deepEqual((await old.waitFor((e) => e.event === 'resync')).data, { reason: 'gap' });
		old.close();
	}
});

h.test('a listener whose connection is cut reconnects and reads what it missed', pgOnly, async () => {
	const cut = () => execFileSync('psql', [h.dbUrl, '-At', '-c',
		"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() " +
		"AND pid <> pg_backend_pid() AND query LIKE '%FROM events WHERE id > %'"], { encoding: 'utf8' });
	assert.ok(Number(cut().trim()) >= 2, 'both servers listen');
	const t7 = await notice(h.base);
	await live.waitFor(isNotice(t7), 10_000);
	assert.match(other.stderr, /event=events_listen_failed/);
});

h.test('the second server stops cleanly', pgOnly, async () => {
	live.close();
	await other.stop();
});

h.shutdownTest();
