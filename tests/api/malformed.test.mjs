// malformed: every operation of docs/openapi.yaml is sent malformed requests, generated from
// the spec (lib/malformed.mjs): each required field missing, an unknown field, each field of
// the wrong type, oversize strings and arrays (and a body over the route's limit), numbers out
// of range, Unicode edges (invalid UTF-8, NUL, lone surrogates; RTL, zero-width and emoji
// text), deep nesting, bodies that are not JSON or of another content type, path parameters
// that are not ids and query values that are not what they should be. Each is sent as a role
// the route allows. The server never answers 5xx; every 4xx is the JSON error shape and, for
// a field at fault, names it; a request that must be refused is; and the store is the same
// after the run as before (the rows of every table counted). A summary table is printed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { harness, runCli, storeKind, noSanitizerReport, TEST_ENV } from './lib/harness.mjs';
import { loadSpec, operations, variants } from './lib/malformed.mjs';

// Thousands of refused writes from one user in seconds: no write rate, so that each reaches
// the check it is meant for rather than 429 rate_limited.
TEST_ENV.FANGKONG_WRITE_RATE = '0';
TEST_ENV.FANGKONG_WRITE_RATE_IP = '0';
// With the test clock, so that its route is there to be sent malformed moves (none is valid).
const h = harness('malformed', { testClock: true });
const CONCURRENCY = 6;
const DEFAULT_CAP = 1 << 20;

/* The demo user that holds each role (lib/harness.mjs's demo district). */
const USER_OF = {
	admin: 'admin', commander: 'commander', community: 'community1', grid: 'grid1',
	building: 'building1', registrar: 'registrar1', lab: 'lab1', volunteer: 'volunteer1',
	resident: 'resident1',
};

/* ---------------- the store's fingerprint ---------------- */

/* Every audit row, as "audit <id>|<request id> <action>": a read the server accepted is
 * audited, and only such rows may be added. */
const AUDIT_ROWS = "SELECT 'audit ' || id, coalesce(request_id, '') || ' ' || action FROM audit";

function sqliteCounts(db) {
	const q = (sql) => execFileSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
	const tables = q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
		.split('\n').filter(Boolean);
	return q(`${tables.map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ')}; ${AUDIT_ROWS}`);
}

function postgresCounts(url) {
	const q = (sql) => execFileSync('psql', [url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
	const tables = q("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
		.split('\n').filter(Boolean);
	return q(`${tables.map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ')}; ${AUDIT_ROWS}`);
}

/* {counts: {table: rows}, audit: Map(id -> "request_id action")} of the store. Left out of
 * the counts: sessions (the test's own logins), job_runs (the scheduler's record of the jobs
 * it runs on the clock) and audit, whose rows are compared one by one. */
const UNCOUNTED = new Set(['sessions', 'job_runs', 'audit']);
function fingerprint() {
	const text = storeKind() === 'postgres' ? postgresCounts(h.dbUrl) : sqliteCounts(h.dbUrl);
	const counts = {};
	const audit = new Map();
	for (const line of text.split('\n').filter(Boolean)) {
		const [t, n] = line.split('|');
		if (t.startsWith('audit ')) audit.set(t.slice(6), n);
		else if (!UNCOUNTED.has(t)) counts[t] = Number(n);
	}
	assert.ok(Object.keys(counts).length > 10, `too few tables counted: ${text}`);
	assert.ok(audit.size > 0, 'no audit rows read (the logins are audited)');
	return { counts, audit };
}

/* ---------------- sending ---------------- */

async function send(client, op, v) {
	const headers = {};
	if (v.type) headers['content-type'] = v.type;
	if (client) {
		headers.cookie = client.cookie;
		if (op.method !== 'GET') headers['x-csrf-token'] = client.csrf;
	}
	const init = { method: op.method, headers, redirect: 'manual', signal: AbortSignal.timeout(60_000) };
	if (v.body !== undefined && op.method !== 'GET') init.body = v.body;
	try {
		const res = await fetch(h.base + v.path, init);
		const text = await res.text();
		return { status: res.status, type: res.headers.get('content-type') || '', text, rid: res.headers.get('x-request-id') };
	} catch (e) {
		return { status: 0, type: '', text: `${e.name}: ${e.message} ${e.cause ? e.cause.code || e.cause.message : ''}` };
	}
}

/* What is wrong with reply r to variant v of op, or null. */
function fault(op, v, r) {
	if (r.status === 0) return `no reply (${r.text})`;
	if (r.status >= 500) return `answered ${r.status}`;
	if (r.status >= 200 && r.status < 300) return v.mustRefuse ? `accepted (${r.status}) what must be refused` : null;
	if (r.status < 400) return null;
	let e = null;
	try {
		e = JSON.parse(r.text).error;
	} catch {
		return `a ${r.status} that is not JSON (${r.type})`;
	}
	if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || !e.message)
		return `a ${r.status} without {"error":{"code","message"}}`;
	const fieldFault = v.field && (r.status === 400 || (r.status === 422 && v.kind !== 'path' && v.kind !== 'query'));
	/* an odd but valid value (edge) may be refused for the field or for another of the
	 * body that carries it, and valid text (unicode) for anything */
	if (fieldFault && v.kind !== 'unicode' && v.kind !== 'edge') {
		const named = (e.field && (e.field === v.field || e.field.startsWith(v.field + '[') || e.field.startsWith(v.field + '.'))) ||
			(e.message_en || e.message || '').includes(v.field);
		/* a path or query fault may be refused first for the body that carries it */
		const other = (v.kind === 'path' || v.kind === 'query') && e.field && e.field !== v.field;
		if (!named && !other) return `a ${r.status} ${e.code} that does not name "${v.field}" (field "${e.field}")`;
	}
	return null;
}

async function pool(items, n, fn) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: n }, worker));
}

/* ---------------- the run ---------------- */

let ops;
let routes;

h.test('docs/openapi.yaml is read and every operation is a route', async () => {
	const r = await runCli(['routes', '--json']);
	assert.equal(r.status, 0, r.stderr);
	noSanitizerReport(r.stderr, 'fangkong routes');
	routes = JSON.parse(r.stdout);
	ops = operations(loadSpec(), routes);
	assert.ok(ops.length >= 100, `only ${ops.length} operations in docs/openapi.yaml`);
	const unknown = ops.filter((o) => !o.route).map((o) => o.key);
	assert.deepEqual(unknown, [], 'documented operations the router does not know');
});

h.test('every numeric body field has a range, and docs/openapi.yaml shows it', () => {
	const wrong = [];
	for (const op of ops) {
		for (const f of op.fields) {
			if (f.type !== 'integer' && f.type !== 'number') continue;
			if (f.minimum === undefined || f.maximum === undefined) {
				wrong.push(`${op.key} ${f.name}: no range`);
				continue;
			}
			const doc = op.docFields.find((d) => d.name === f.name);
			if (!doc || doc.minimum !== f.minimum || doc.maximum !== f.maximum)
				wrong.push(`${op.key} ${f.name}: the route has ${f.minimum}..${f.maximum}, the spec ` +
					(doc ? `${doc.minimum}..${doc.maximum}` : 'does not document it'));
		}
	}
	assert.deepEqual(wrong, []);
});

h.test('malformed requests to every operation: no 5xx, the error shape naming the field, nothing changed', async () => {
	const clients = {};
	for (const [role, user] of Object.entries(USER_OF)) clients[role] = await h.login(user);
	const before = fingerprint();
	const t0 = Date.now();

	const jobs = [];
	for (const op of ops) {
		if (op.stream) continue; /* an event stream stays open: lib/sse.mjs's tests */
		const role = op.route.roles.length === 0 ? null : op.route.roles.includes('admin') ? 'admin' : op.route.roles[0];
		const client = role ? clients[role] : null;
		const cap = op.route.max_body || DEFAULT_CAP;
		for (const v of variants(op, cap)) jobs.push({ op, v, client });
	}

	const rows = new Map(); /* op key -> counts */
	const cells = new Map(); /* "op key\tkind" -> counts */
	const codes = new Map(); /* kind -> error code (or status) -> replies */
	const kinds = new Map(); /* kind -> counts */
	const faults = [];
	const accepted = [];
	const readIds = new Set(); /* request ids of the reads answered 2xx */
	const count = (m, k, r) => {
		if (!m.has(k)) m.set(k, { sent: 0, c2: 0, c4: 0, c5: 0, none: 0 });
		const c = m.get(k);
		c.sent++;
		if (r.status === 0) c.none++;
		else if (r.status >= 500) c.c5++;
		else if (r.status >= 400) c.c4++;
		else c.c2++;
	};
	await pool(jobs, CONCURRENCY, async ({ op, v, client }) => {
		const r = await send(client, op, v);
		count(rows, op.key, r);
		count(cells, `${op.key}\t${v.kind}`, r);
		let code = String(r.status);
		try {
			code = JSON.parse(r.text).error.code;
		} catch {
			/* a 2xx, or a reply fault() reports */
		}
		const ck = codes.get(v.kind) || new Map();
		codes.set(v.kind, ck.set(code, (ck.get(code) || 0) + 1));
		count(kinds, v.kind, r);
		const f = fault(op, v, r);
		const what = `${op.method} ${v.path.slice(0, 120)} [${v.kind}${v.field ? ' ' + v.field : ''}${v.note ? ' ' + v.note : ''}]`;
		if (f) faults.push(`${what}: ${f}\n    body ${String(v.body ?? '').slice(0, 160)}\n    reply ${r.text.slice(0, 300)}`);
		else if (r.status >= 200 && r.status < 300 && op.method !== 'GET') accepted.push(`${what} -> ${r.status}`);
		if (r.status >= 200 && r.status < 300 && op.method === 'GET' && r.rid) readIds.add(r.rid);
	});
	const seconds = (Date.now() - t0) / 1000;

	const pad = (s, n) => String(s).padEnd(n);
	const num = (s, n) => String(s).padStart(n);
	const line = (name, c) => `${pad(name, 64)}${num(c.sent, 6)}${num(c.c4, 6)}${num(c.c2, 6)}${num(c.c5, 6)}${num(c.none, 6)}`;
	const head = `${pad('', 64)}${num('sent', 6)}${num('4xx', 6)}${num('2xx', 6)}${num('5xx', 6)}${num('none', 6)}`;
	/* operations x kinds: each cell the requests sent, "+n" of them answered 2xx, "!n" 5xx or
	 * none; then the totals of each operation and of each kind */
	const kindNames = [...kinds.keys()];
	const cell = (c) => (c ? `${c.sent}${c.c2 ? '+' + c.c2 : ''}${c.c5 + c.none ? '!' + (c.c5 + c.none) : ''}` : '.');
	const matrix = [`${pad('', 64)}${kindNames.map((k) => num(k.slice(0, 8), 9)).join('')}`,
		...[...rows.keys()].map((op) => pad(op, 64) + kindNames.map((k) => num(cell(cells.get(`${op}\t${k}`)), 9)).join(''))];
	const out = [`malformed requests (${storeKind()}): ${rows.size} operations, ${jobs.length} requests in ${seconds.toFixed(1)} s`,
		...matrix, '', head, ...[...rows].map(([k, c]) => line(k, c)), '', head, ...[...kinds].map(([k, c]) => line(k, c)),
		line('all', [...kinds.values()].reduce((a, c) => ({ sent: a.sent + c.sent, c2: a.c2 + c.c2, c4: a.c4 + c.c4, c5: a.c5 + c.c5, none: a.none + c.none })))];
	out.push('', 'the answers of each kind, most frequent first:', ...[...codes].map(([k, m]) =>
		`${pad(k, 14)}${[...m].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([c, n]) => `${c} ${n}`).join(', ')}`));
	const undocumented = ops.filter((o) => o.body === 'json' && !o.documentedBody).map((o) => o.key);
	if (undocumented.length) out.push('', `JSON bodies taken from the route table (not in the spec): ${undocumented.join(', ')}`);
	out.push('', `writes accepted (valid text in a request naming nothing that exists): ${accepted.length}`, ...accepted.map((a) => '  ' + a));
	console.log(out.join('\n'));

	if (faults.length) console.log(`${faults.length} replies at fault:\n${faults.join('\n')}`);
	assert.equal(h.exit, null, 'the server died');
	const after = fingerprint();
	const changed = Object.keys({ ...before.counts, ...after.counts })
		.filter((t) => before.counts[t] !== after.counts[t])
		.map((t) => `${t}: ${before.counts[t]} -> ${after.counts[t]}`);
	let reads = 0;
	for (const [id, row] of after.audit) {
		if (before.audit.has(id)) continue;
		if (readIds.has(row.split(' ')[0])) reads++;
		else changed.push(`audit row ${id} (${row}) of no accepted read`);
	}
	for (const id of before.audit.keys()) if (!after.audit.has(id)) changed.push(`audit row ${id} gone`);
	console.log(`audit rows added by the reads answered 2xx: ${reads}`);
	assert.deepEqual({ faults, changed }, { faults: [], changed: [] },
		`${faults.length} replies at fault, ${changed.length} tables changed`);
});

h.shutdownTest();
