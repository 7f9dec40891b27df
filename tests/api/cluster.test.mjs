// cluster: two servers behind nginx on one PostgreSQL store (the conf from scripts/cluster.sh).
// Several registrars' phones scan through nginx; one server is killed (SIGKILL) mid-load; the
// other keeps answering, nginx sending the keyed writes in flight to it, and a phone retries
// with its key whatever still failed. Every acknowledged scan is stored exactly once, a retry
// of an acknowledged key gets the same bytes, and a live stream through nginx resumes on the
// surviving server and hears events made on it and on the restarted one. On SQLite there is
// one server, so the cases are skipped there.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	harness, assertCreated, areaByCode, startServer, storeKind, waitFor, Client, PASSWORD,
} from './lib/harness.mjs';
import { key, barcode, userId } from './lib/tubes.mjs';
import { Stream } from './lib/sse.mjs';

const PHONES = 6;
const TUBES_PER_PHONE = 4; // ten scans each
const PER_TUBE = 10;
const G1 = '370212001001G01';

const h = harness('cluster', { args: ['--node', '1', '--max-conns-per-ip', '0'] });
const pgOnly = storeKind() === 'postgres' ? {} : { skip: 'one server on SQLite' };
/* The second server's --read-db: the same database through read-only sessions (as a hot
 * standby is), named so that its connections can be told apart. */
const readDb = () => `${h.dbUrl}?application_name=fk_replica&options=-c%20default_transaction_read_only%3Don`;
const otherArgs = () => ['--node', '2', '--max-conns-per-ip', '0', '--read-db', readDb()];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let other; // the second server, the one killed and restarted
let nginx; // {proc, dir, base}
let round, site, people;
const acked = new Map(); // person id -> {tube, key, text}
const stats = { attempts: 0, failed: 0, retried: 0 };

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

async function startNginx(upstreams) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-nginx-'));
	fs.mkdirSync(path.join(dir, 'tmp'));
	fs.chmodSync(dir, 0o755);
	if (process.getuid() === 0) execFileSync('chown', ['-R', 'nobody', path.join(dir, 'tmp')]);
	const port = await freePort();
	const conf = execFileSync(path.join(root, 'scripts/cluster.sh'), ['conf', dir, String(port), ...upstreams],
		{ encoding: 'utf8' });
	// In the foreground, so that the test owns the process and its end.
	fs.writeFileSync(path.join(dir, 'nginx.conf'), 'daemon off;\n' + conf);
	const proc = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	proc.stderr.on('data', (d) => (stderr += d));
	const base = `http://127.0.0.1:${port}`;
	await waitFor(async () => {
		try {
			return (await fetch(base + '/healthz')).status === 200;
		} catch {
			return false; /* not up yet */
		}
	}, `nginx answering on ${base}: ${stderr}`, 10_000);
	return { proc, dir, base, log: () => stderr + fs.readFileSync(path.join(dir, 'error.log'), 'utf8') };
}

/* Lines of nginx's error log about a server that failed a request (nginx tried the next). */
function upstreamErrors() {
	const log = fs.readFileSync(path.join(nginx.dir, 'error.log'), 'utf8');
	return log.split('\n').filter((l) => l.includes('upstream')).length;
}

async function loginAt(base, user) {
	const c = new Client(base, user);
	const r = await c.login(user, PASSWORD);
	assert.equal(r.status, 200, r.what);
	return c;
}

/* A phone's write: sent until answered, with the same key; resolves to the reply. A failure
 * is a connection error or a 5xx (nginx's 502 when both tries failed). */
async function send(client, urlPath, body) {
	for (let i = 0; ; i++) {
		stats.attempts++;
		let r;
		try {
			r = await client.post(urlPath, body);
		} catch {
			r = null; /* the connection failed */
		}
		if (r && r.status < 500) return r;
		stats.failed++;
		assert.ok(i < 20, `${urlPath} kept failing: ${r ? r.what : 'connection error'}`);
		stats.retried++;
		await new Promise((res) => setTimeout(res, 100));
	}
}

async function phone(client, index, mine, onScan) {
	for (let t = 0; t < TUBES_PER_PHONE; t++) {
		const tube = barcode(`C${index}-`);
		const o = await send(client, `/api/v1/rounds/${round.id}/tubes`, { code: tube, site_id: site.id, client_key: key() });
		assert.ok(o.status === 201 || o.status === 200, o.what);
		for (const p of mine.slice(t * PER_TUBE, (t + 1) * PER_TUBE)) {
			const k = key();
			const r = await send(client, `/api/v1/tubes/${tube}/scans`, { person_code: p.code, client_key: k });
			assert.equal(r.status, 201, r.what);
			assert.equal(r.json.person.id, p.id);
			acked.set(p.id, { tube, key: k, code: p.code, text: r.text });
			onScan();
		}
	}
}

function psql(sql) {
	return execFileSync('psql', [h.dbUrl, '-Atq', '-c', sql], { encoding: 'utf8' }).trim();
}

let notices = 0;
async function notice(base) {
	const admin = await loginAt(base, 'admin');
	const g1 = await areaByCode(admin, G1);
	const title = `cluster notice ${++notices}`;
	assertCreated(await admin.post('/api/v1/alerts', {
		kind: 'notice', area_id: g1.id, title_zh: `通知${notices}`, title_en: title,
	}));
	return title;
}
const isNotice = (title) => (e) => e.event === 'alert' && e.data.payload.title_en === title;

/* Whatever a failed case left running. */
after(async () => {
	if (nginx && nginx.proc.exitCode === null && nginx.proc.signalCode === null) nginx.proc.kill('SIGKILL');
	if (other && other.proc.exitCode === null && other.proc.signalCode === null) other.proc.kill('SIGKILL');
});

let live; // grid1's stream through nginx
let grid; // grid1's session, made through nginx

h.test('setup: a second server, nginx in front of both, a round, a site, residents', pgOnly, async () => {
	other = await startServer(h.dbUrl, { args: otherArgs() });
	nginx = await startNginx([h.base.slice(7), other.base.slice(7)]);
	const admin = await loginAt(nginx.base, 'admin');
	const commander = await loginAt(nginx.base, 'commander');
	const district = (await commander.ok('/api/v1/areas')).items[0];
	const deadline = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
	round = assertCreated(await commander.post('/api/v1/rounds', {
		name: '集群轮次', area_ids: [district.id], deadline_at: deadline, pool_size: PER_TUBE,
	}));
	assert.equal((await commander.post(`/api/v1/rounds/${round.id}/open`)).status, 200);
	site = assertCreated(await admin.post('/api/v1/sites', {
		area_id: district.id, code: barcode('S'), name: '集群采样点', kind: 'fixed', desks: 4,
	}));
	const bind = await admin.req('PUT', `/api/v1/sites/${site.id}/registrars`,
		{ json: { user_ids: [await userId(admin, 'registrar1')] } });
	assert.equal(bind.status, 200, bind.what);
	const n = PHONES * TUBES_PER_PHONE * PER_TUBE;
	const all = (await admin.ok('/api/v1/people', { query: { limit: n } })).items;
	assert.equal(all.length, n, `${n} residents wanted`);
	people = [];
	for (const p of all) {
		const c = await admin.get(`/api/v1/people/${p.id}/sampling-code`);
		assert.equal(c.status, 200, c.what);
		people.push({ id: p.id, code: c.json.code });
	}
	grid = await loginAt(nginx.base, 'grid1');
	live = await new Stream(nginx.base, grid).open();
	assert.equal(live.res.status, 200);
	// The stream is open on one server or the other; an event made on either is heard.
	for (const base of [h.base, other.base]) await live.waitFor(isNotice(await notice(base)));
});

h.test('--read-db: the dashboard and coverage read the replica, the rest the primary', pgOnly, async () => {
	const replicaQueries = () => psql("SELECT string_agg(query, ' | ') FROM pg_stat_activity " +
		"WHERE application_name = 'fk_replica'");
	const admin = await loginAt(other.base, 'admin');
	const before = replicaQueries();
	for (const p of ['/api/v1/dashboard', `/api/v1/rounds/${round.id}/coverage`]) {
		const here = await admin.ok(p);
		const there = await (await loginAt(h.base, 'admin')).ok(p);
		assert.deepEqual(Object.keys(here).sort(), Object.keys(there).sort(), p);
		assert.notEqual(replicaQueries(), before, `${p} ran on the replica's connection`);
	}
	assert.equal(JSON.stringify((await admin.ok(`/api/v1/rounds/${round.id}/coverage`)).totals),
		JSON.stringify((await (await loginAt(h.base, 'admin')).ok(`/api/v1/rounds/${round.id}/coverage`)).totals));
	// A people search stays on the primary: it writes its audit row.
	const last = replicaQueries();
	assert.equal((await admin.get('/api/v1/people', { query: { limit: 5 } })).status, 200);
	assert.equal(replicaQueries(), last, 'the people search did not touch the replica');
});

h.test('a server killed mid-load: the other answers, nothing acknowledged is lost', pgOnly, async () => {
	const phones = [];
	for (let i = 0; i < PHONES; i++) phones.push(await loginAt(nginx.base, 'registrar1'));
	const total = people.length;
	let killedAt = null;
	const onScan = () => {
		if (killedAt === null && acked.size >= total / 3) {
			killedAt = acked.size;
			other.proc.kill('SIGKILL');
		}
	};
	const t0 = Date.now();
	await Promise.all(phones.map((c, i) => phone(c, i, people.filter((_, j) => j % PHONES === i), onScan)));
	const secs = (Date.now() - t0) / 1000;
	assert.ok(killedAt !== null, 'the kill happened');
	const scansOn = (log) => (log.match(/route=\/api\/v1\/tubes\/\{code\}\/scans status=201/g) || []).length;
	assert.ok(scansOn(other.stderr) > 0, 'server 2 took scans before it was killed');
	assert.ok(scansOn(h.stderr) > total - killedAt, 'server 1 took the rest');
	assert.deepEqual(await other.exited, { code: null, signal: 'SIGKILL' });
	console.log(`# ${acked.size} scans acknowledged through nginx in ${secs.toFixed(1)} s by ${PHONES} phones; ` +
		`server 2 killed after ${killedAt}; ${stats.attempts} requests sent, ${stats.failed} failed and retried by the phone; ` +
		`nginx logged ${upstreamErrors()} failures of server 2 (connections refused or cut)`);
	assert.equal(acked.size, total, 'every scan acknowledged');
	// At most the writes in flight at the kill fail back to a phone (nginx retries keyed writes).
	assert.ok(stats.failed <= PHONES, `${stats.failed} failures seen by phones`);
	// Stored exactly once: one live sample per person, no voided twin, and each where it was acked.
	const rows = psql(`SELECT s.person_id || ' ' || t.code || ' ' || s.voided FROM samples s JOIN tubes t ON t.id = s.tube_id WHERE s.round_id = ${round.id} ORDER BY s.person_id`)
		.split('\n').filter(Boolean);
	assert.equal(rows.length, total, 'one row per acknowledged scan');
	for (const line of rows) {
		const [person, tube, voided] = line.split(' ');
		assert.equal(voided, '0');
		assert.equal(acked.get(person)?.tube, tube, `person ${person} in the tube acknowledged`);
	}
});

h.test('a retry of an acknowledged key gets the same bytes from the surviving server', pgOnly, async () => {
	const reg = await loginAt(nginx.base, 'registrar1');
	let n = 0;
	for (const a of [...acked.values()].filter((_, i) => i % 8 === 0)) {
		const r = await reg.post(`/api/v1/tubes/${a.tube}/scans`, { person_code: a.code, client_key: a.key });
		assert.equal(r.status, 201, r.what);
		assert.equal(r.text, a.text, 'the stored reply, byte for byte');
		n++;
	}
	assert.ok(n >= 10);
	assert.equal(Number(psql(`SELECT count(*) FROM samples WHERE round_id = ${round.id}`)), people.length,
		'the retries wrote nothing');
});

h.test('live events through nginx resume on the survivor and come from the restarted server', pgOnly, async () => {
	// The stream hears an event made on the survivor, or, when it was on the killed server, has
	// ended: the browser resumes with its last id, lands on the survivor and gets the event it
	// missed from there, with no gap.
	const t1 = await notice(h.base);
	await waitFor(() => live.ended || live.events.some(isNotice(t1)), 'the stream to hear the notice or end');
	if (!live.events.some(isNotice(t1))) {
		const last = live.events.filter((e) => e.id).at(-1).id;
		live = await new Stream(nginx.base, grid, { 'last-event-id': last }).open();
		assert.equal(live.res.status, 200);
		await live.waitFor(isNotice(t1));
		console.log('# the stream was on the killed server and resumed on the survivor');
	}
	assert.ok(!live.events.some((e) => e.event === 'resync'), 'resumed without a gap');
	other = await startServer(h.dbUrl, { args: otherArgs() });
	const t2 = await notice(other.base);
	await live.waitFor(isNotice(t2));
	// New streams through nginx land on either server (round robin) and hear one event alike.
	const streams = [];
	for (let i = 0; i < 2; i++) streams.push(await new Stream(nginx.base, grid).open());
	const t3 = await notice(nginx.base);
	const ids = [];
	for (const s of [live, ...streams]) ids.push((await s.waitFor(isNotice(t3))).id);
	assert.equal(new Set(ids).size, 1, 'one id on every server');
	for (const s of [live, ...streams]) s.close();
});

h.test('the second server and nginx stop cleanly', pgOnly, async () => {
	await other.stop();
	nginx.proc.kill('SIGQUIT');
	const code = await new Promise((res) => nginx.proc.on('exit', (c, sig) => res({ c, sig })));
	assert.ok(code.c === 0 || code.sig === 'SIGQUIT', `nginx exit ${JSON.stringify(code)}\n${nginx.log()}`);
	fs.rmSync(nginx.dir, { recursive: true, force: true });
});

h.shutdownTest();
