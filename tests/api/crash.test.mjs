// crash: what a kill -9 of the server leaves behind. Each trial opens a round over the district,
// lets several registrar phones open tubes and scan people by ID number (keyed writes, one at a
// time per phone), kills the server with SIGKILL at a random moment, restarts it on the same
// store, and checks, reading the store itself:
//   - every acknowledged scan (a 2xx reply received) is stored exactly once;
//   - the one write each phone had in flight is stored once or not at all;
//   - a retry of every acknowledged key gets the first reply byte for byte, and a retry of a
//     write in flight is acknowledged and leaves it stored exactly once;
//   - tube and building counters match their samples, every key is stored once, and the store
//     passes its integrity check (SQLite PRAGMA integrity_check and foreign_key_check;
//     PostgreSQL amcheck's bt_index_check with heapallindexed on every btree index).
// The first half of the trials run with --durability normal, the second half full: a process
// crash must lose nothing under either (on PostgreSQL the setting changes nothing). Trials: FK_CRASH_TRIALS (default 5; `make soak` runs 100); kill moments from
// FK_CRASH_SEED (printed, so a failing run can be replayed). One line of counts per trial.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	Client, PASSWORD, RESIDENTS, areaByCode, assertCreated, createStore, noSanitizerReport, runCli,
	startServer, storeKind, waitFor,
} from './lib/harness.mjs';
import { GRID, barcode, makeSite, userId } from './lib/tubes.mjs';

const TRIALS = Number(process.env.FK_CRASH_TRIALS || 5);
const SEED = Number(process.env.FK_CRASH_SEED || Date.now() % 1_000_000);
const PHONES = 4;
const PER_PHONE = 300; // people a phone may scan in one trial (each a new round): more than 1.2 s of scans
const KILL_MS = [150, 1200]; // the kill comes this long after the phones start
const DISTRICT = '370212';
const RUN = randomBytes(3).toString('hex');

let tmpdir, store, srv, running, serverNo = 0;
let commander, phones, site, people;

/* Kill moments from a small LCG, so that FK_CRASH_SEED replays a run. */
let rng = SEED;
function random() {
	rng = (rng * 1103515245 + 12345) % 2147483648;
	return rng / 2147483648;
}

/* ---------------- the store, read directly ---------------- */

/* Rows of a query as arrays of text ('|'-separated output of sqlite3 or psql -At). */
function sql(query) {
	const out = storeKind() === 'postgres'
		? execFileSync('psql', [store.url, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' })
		: execFileSync('sqlite3', [store.url, query], { encoding: 'utf8' });
	return out.split('\n').filter((l) => l.length).map((l) => l.split('|'));
}

/* The store's own check; resolves to what was checked, fails on any damage. */
function integrityCheck() {
	if (storeKind() === 'postgres') {
		const rows = sql(`SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid AND i.indisready`);
		const n = Number(rows[0][0]);
		assert.ok(n > 50, `amcheck looked at only ${n} indexes`);
		return `amcheck ok (${n} btree indexes)`;
	}
	assert.deepEqual(sql('PRAGMA integrity_check'), [['ok']], 'SQLite integrity_check');
	assert.deepEqual(sql('PRAGMA foreign_key_check'), [], 'SQLite foreign_key_check');
	return 'integrity_check ok';
}

/* person id -> rows in samples (voided or not) for the round. */
function samplesOf(roundId) {
	const m = new Map();
	for (const [pid, n] of sql(`SELECT person_id, count(*) FROM samples WHERE round_id = ${roundId} GROUP BY person_id`))
		m.set(pid, Number(n));
	return m;
}

/* tube code -> rows in tubes for the round. */
function tubesOf(roundId) {
	const m = new Map();
	for (const [code, n] of sql(`SELECT code, count(*) FROM tubes WHERE round_id = ${roundId} GROUP BY code`))
		m.set(code, Number(n));
	return m;
}

/* ---------------- the server ---------------- */

async function start(durability) {
	serverNo += 1;
	srv = await startServer(store.url, {
		// four phones of one registrar write faster than the write limits let a user
		args: ['--durability', durability, '--login-rate', '1000', '--write-rate', '0', '--write-rate-ip', '0'],
		logFile: path.join(tmpdir, `serve-${serverNo}.log`),
	});
	running = durability;
	for (const c of [commander, ...(phones || [])].filter(Boolean)) c.base = srv.base;
	// the start line may follow the first request's line
	await waitFor(() => srv.stderr.includes(` durability=${durability}\n`), `the start line with durability=${durability}`);
}

async function kill() {
	srv.proc.kill('SIGKILL');
	const x = await srv.exited;
	assert.deepEqual(x, { code: null, signal: 'SIGKILL' }, 'the server died of the kill');
	noSanitizerReport(srv.stderr, 'fangkong serve before the kill');
}

function logTail() {
	return `--- serve-${serverNo}.log (last 30 lines) ---\n` +
		srv.stderr.split('\n').slice(-30).join('\n');
}

async function login(username) {
	const c = new Client(srv.base, username);
	const r = await c.login(username, PASSWORD);
	assert.equal(r.status, 200, r.what);
	return c;
}

/* ---------------- the phones ---------------- */

/* Sends op once; records the reply (acked) or the failure to get one (in flight at the kill). */
async function send(phone, op, ops) {
	ops.push(op);
	let r;
	try {
		r = await phone.post(op.path, op.body);
	} catch {
		op.acked = false; // no reply: the server died before or while answering
		return null;
	}
	op.acked = r.status >= 200 && r.status < 300;
	op.reply = { status: r.status, text: r.text };
	if (!op.acked) op.refused = r.what;
	return op.acked ? r : null;
}

/* One phone: opens a tube, scans people into it until it closes, opens the next, until the
 * server dies or its people run out. */
async function drive(phone, no, trial, roundId, mine, ops) {
	let tube = null;
	let n = 0;
	const k = () => `crash-${RUN}-t${trial}-p${no}-${++n}`;
	for (const p of mine) {
		if (!tube) {
			const code = barcode('C');
			const op = { kind: 'open', code, path: `/api/v1/rounds/${roundId}/tubes`,
				body: { code, site_id: site.id, client_key: k() } };
			if (!(await send(phone, op, ops))) return;
			tube = code;
		}
		const op = { kind: 'scan', person: p.id, path: `/api/v1/tubes/${tube}/scans`,
			body: { id_number: p.id_number, client_key: k() } };
		const r = await send(phone, op, ops);
		if (!r) return;
		if (r.json.closed) tube = null;
	}
}

/* ---------------- one trial ---------------- */

async function openRound(trial) {
	const district = await areaByCode(commander, DISTRICT);
	const r = await commander.post('/api/v1/rounds', {
		name: `断电演练 ${RUN} 第${trial}次`, area_ids: [district.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
	});
	const round = assertCreated(r);
	const o = await commander.post(`/api/v1/rounds/${round.id}/open`);
	assert.equal(o.status, 200, o.what);
	return round.id;
}

/* The phones' writes retried after the restart: those in flight must now be acknowledged,
 * the acknowledged ones must answer as the first time. */
async function retryAll(ops) {
	let retried = 0;
	await Promise.all(phones.map(async (phone, i) => {
		for (const op of ops[i]) {
			const r = await phone.post(op.path, op.body);
			retried++;
			if (op.acked) {
				assert.equal(r.status, op.reply.status, `retry of ${op.body.client_key}: ${r.what}`);
				assert.equal(r.text, op.reply.text, `retry of ${op.body.client_key} differs from the first reply`);
			} else {
				assert.ok(r.status === 200 || r.status === 201, `retry of in-flight ${op.body.client_key}: ${r.what}`);
				op.acked = true;
				op.reply = { status: r.status, text: r.text };
			}
		}
	}));
	return retried;
}

/* After the restart, before any retry: acknowledged writes are there once, in-flight ones
 * once or not at all. Returns how many in-flight writes had landed. */
function checkAfterCrash(roundId, all) {
	const samples = samplesOf(roundId);
	const tubes = tubesOf(roundId);
	let landed = 0;
	for (const op of all) {
		const n = op.kind === 'scan' ? samples.get(op.person) || 0 : tubes.get(op.code) || 0;
		if (op.acked) assert.equal(n, 1, `acknowledged ${op.kind} ${op.body.client_key} stored ${n} times`);
		else {
			assert.ok(n === 0 || n === 1, `in-flight ${op.kind} ${op.body.client_key} stored ${n} times`);
			landed += n;
		}
	}
	const scans = all.filter((o) => o.kind === 'scan');
	const stored = [...samples.values()].reduce((a, b) => a + b, 0);
	assert.ok(stored <= scans.length, `${stored} samples stored for ${scans.length} scans sent`);
	return { stored, landed };
}

/* After the retries: every write exactly once, counters and keys in step. */
function checkAfterRetries(roundId, trial, all) {
	const samples = samplesOf(roundId);
	const scans = all.filter((o) => o.kind === 'scan');
	const opens = all.filter((o) => o.kind === 'open');
	let duplicates = 0;
	for (const n of samples.values()) duplicates += n - 1;
	assert.equal(duplicates, 0, 'no person sampled twice');
	assert.deepEqual([...samples.keys()].sort(), scans.map((o) => o.person).sort(), 'samples are the scans sent');
	const tubes = tubesOf(roundId);
	assert.deepEqual([...tubes.keys()].sort(), opens.map((o) => o.code).sort(), 'tubes are the ones opened');
	const off = sql(`SELECT t.code, t.n, (SELECT count(*) FROM samples s WHERE s.tube_id = t.id AND s.voided = 0)
		FROM tubes t WHERE t.round_id = ${roundId}`).filter(([, n, live]) => n !== live);
	assert.deepEqual(off, [], 'each tube counts its samples');
	const stats = sql(`SELECT s.area_id, s.sampled, (SELECT count(*) FROM samples m WHERE m.round_id = s.round_id
		AND m.building_id = s.area_id AND m.voided = 0) FROM round_stats s WHERE s.round_id = ${roundId}`)
		.filter(([, n, live]) => Number(n) !== Number(live));
	assert.deepEqual(stats, [], "each building's round counter counts its samples");
	const keys = sql(`SELECT count(*), count(DISTINCT client_key) FROM client_keys
		WHERE client_key LIKE 'crash-${RUN}-t${trial}-%'`)[0].map(Number);
	assert.deepEqual(keys, [all.length, all.length], 'one stored reply per key sent');
	return { stored: samples.size, duplicates };
}

async function trial(t) {
	const durability = t > TRIALS / 2 ? 'full' : 'normal';
	if (durability !== running) {
		// the second half of the trials: a clean stop, then a server with --durability full
		await srv.stop();
		await start(durability);
	}
	const t0 = Date.now();
	const roundId = await openRound(t);
	const ops = phones.map(() => []);
	const killAfter = Math.round(KILL_MS[0] + random() * (KILL_MS[1] - KILL_MS[0]));
	const driving = phones.map((p, i) => drive(p, i, t, roundId, people.slice(i * PER_PHONE, (i + 1) * PER_PHONE), ops[i]));
	await new Promise((r) => setTimeout(r, killAfter));
	await kill();
	await Promise.all(driving);
	const all = ops.flat();
	const refused = all.filter((o) => o.refused);
	assert.deepEqual(refused.map((o) => o.refused), [], 'no write refused before the kill');
	const acked = all.filter((o) => o.acked);
	const inFlight = all.length - acked.length;
	assert.ok(inFlight <= PHONES, `${inFlight} writes in flight from ${PHONES} phones`);

	await start(durability);
	const crash = checkAfterCrash(roundId, all);
	const retried = await retryAll(ops);
	const after = checkAfterRetries(roundId, t, all);
	const integrity = integrityCheck();
	const scansAcked = acked.filter((o) => o.kind === 'scan').length;
	console.log(`crash trial ${t}/${TRIALS} ${storeKind()} durability=${durability} kill_after_ms=${killAfter}: ` +
		`acknowledged=${scansAcked} scans + ${acked.length - scansAcked} tubes, in_flight=${inFlight} ` +
		`(landed ${crash.landed}), stored_after_crash=${crash.stored}, retried=${retried}, ` +
		`stored=${after.stored}, duplicates=${after.duplicates}, ${integrity}, ${Date.now() - t0} ms`);
	return scansAcked;
}

/* ---------------- the run ---------------- */

before(async () => {
	tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-api-crash-'));
	store = createStore('crash', tmpdir);
	const demo = await runCli(['demo', '--db', store.url, '--residents', String(RESIDENTS), '--seed', '1',
		'--password', PASSWORD]);
	assert.equal(demo.status, 0, `fangkong demo failed:\n${demo.stderr}`);
	if (storeKind() === 'postgres') sql('CREATE EXTENSION IF NOT EXISTS amcheck');
	await start('normal');
	commander = await login('commander');
	const admin = await login('admin');
	const community1 = await login('community1');
	site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	phones = [];
	for (let i = 0; i < PHONES; i++) phones.push(await login('registrar1'));
	people = sql(`SELECT id, id_number FROM people WHERE id_type = 'resident' ORDER BY id LIMIT ${PHONES * PER_PHONE}`)
		.map(([id, idNumber]) => ({ id, id_number: idNumber }));
	assert.equal(people.length, PHONES * PER_PHONE, 'enough residents for the phones');
	console.log(`crash: ${TRIALS} trials on ${storeKind()}, ${PHONES} phones, FK_CRASH_SEED=${SEED}`);
}, { timeout: 180_000 });

after(async () => {
	if (srv && srv.exit === null) {
		srv.proc.kill('SIGKILL');
		await srv.exited;
	}
	try {
		store && store.drop();
	} catch (e) {
		console.error(`dropping the store failed: ${e.message}`);
	}
});

test(`${TRIALS} kill -9 trials: acknowledged scans stored once, retries answered alike, the store whole`,
	{ timeout: 120_000 + TRIALS * 30_000 }, async () => {
		const t0 = Date.now();
		let scans = 0;
		try {
			for (let t = 1; t <= TRIALS; t++) scans += await trial(t);
		} catch (e) {
			if (e && typeof e.message === 'string') e.message += '\n' + logTail();
			throw e;
		}
		assert.ok(scans > 0, 'some scans were acknowledged before the kills');
		console.log(`crash: ${TRIALS} trials on ${storeKind()}: ${scans} scans acknowledged, ` +
			`0 lost, 0 duplicated, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	});

test('the last server stops cleanly on SIGTERM (exit 0, no sanitizer report)', async () => {
	await srv.stop();
});
