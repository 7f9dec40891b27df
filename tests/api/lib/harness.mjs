// harness: one real `fangkong serve` per test file, over a fresh store seeded with the demo
// district. Environment: FK_BIN (the binary), FK_STORE=sqlite|postgres, and for postgres
// FK_PG_URL (a superuser URL to an existing database, e.g. the cluster's "postgres").
//
// Usage in a test file:
//   import { harness } from './lib/harness.mjs';
//   const h = harness('areas');
//   h.test('name', async () => { const admin = await h.login('admin'); ... });
//   h.shutdownTest();  // last: SIGTERM, exit status 0, no sanitizer reports
// A server whose clock tests move: harness('jobs', { testClock: true }), then
//   await h.moveClock(admin, { advance: 'PT11M' });
//   await waitFor(async () => (await admin.get('/api/v1/jobs')).json..., 'the job to run');
// startServer(dbUrl, opts) starts another server (two on one PostgreSQL database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PASSWORD = 'Demo-pass-1';
export const RESIDENTS = 2000;

const SANITIZER_MARKS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'];

export function bin() {
	const b = process.env.FK_BIN;
	assert.ok(b, 'FK_BIN must name the fangkong binary');
	return b;
}

export function storeKind() {
	return process.env.FK_STORE || 'sqlite';
}

/* The environment of every process a test starts: marked as run for tests, so that new
 * password hashes take libsodium's least cost (the test clock still needs --test-clock). */
export const TEST_ENV = { ...process.env, FANGKONG_TEST_MODE: '1' };

/* Runs the binary to completion (opts: env, input, cwd); returns {status, stdout, stderr}. */
export function runCli(args, opts = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(bin(), args, { env: { ...TEST_ENV, ...(opts.env || {}) }, cwd: opts.cwd });
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		if (opts.input !== undefined) p.stdin.end(opts.input);
		else p.stdin.end();
		p.on('error', reject);
		p.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
	});
}

export function noSanitizerReport(text, what) {
	for (const m of SANITIZER_MARKS)
		assert.ok(!text.includes(m), `${what}: sanitizer report "${m}":\n${tail(text, 60)}`);
}

function tail(text, n) {
	return text.split('\n').slice(-n).join('\n');
}

/* ---------------- stores ---------------- */

function uniqueName(label) {
	const rnd = Math.random().toString(36).slice(2, 8);
	return `fk_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${rnd}`;
}

function psql(sql) {
	execFileSync('psql', [process.env.FK_PG_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
}

export function createStore(label, tmpdir) {
	if (storeKind() === 'postgres') {
		const base = process.env.FK_PG_URL;
		assert.ok(base, 'FK_STORE=postgres needs FK_PG_URL (see scripts/with-postgres.sh)');
		const name = uniqueName(label);
		psql(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' ` +
			`LC_COLLATE 'C' LC_CTYPE 'C'`);
		const u = new URL(base);
		u.pathname = '/' + name;
		return { url: u.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
	}
	assert.equal(storeKind(), 'sqlite', `FK_STORE must be sqlite or postgres, not ${storeKind()}`);
	return { url: path.join(tmpdir, `${label}.db`), drop: () => {} };
}

/* ---------------- HTTP client ---------------- */

export class Client {
	constructor(base, username = null) {
		this.base = base;
		this.username = username;
		this.cookie = null; // "fk_session=..."
		this.csrf = null;
		this.me = null;
		this.lang = null;
	}

	/* Sends a request. opts: json (object, sent as application/json), body (raw string/Buffer),
	 * type (content type for body), query (object), headers, csrf (false to leave the token
	 * out, or a string to send instead of the session's). Resolves to
	 * {status, headers, text, json, error} where error is json.error when present. */
	async req(method, urlPath, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		let body;
		if (opts.json !== undefined) {
			body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
			headers['content-type'] = 'application/json';
		} else if (opts.body !== undefined) {
			body = opts.body;
			headers['content-type'] = opts.type || 'text/csv';
		}
		if (this.cookie) headers.cookie = this.cookie;
		if (this.lang && !headers['accept-language']) headers['accept-language'] = this.lang;
		if (method !== 'GET' && method !== 'HEAD') {
			if (typeof opts.csrf === 'string') headers['x-csrf-token'] = opts.csrf;
			else if (opts.csrf !== false && this.csrf) headers['x-csrf-token'] = this.csrf;
		}
		let url = this.base + urlPath;
		if (opts.query) {
			const q = new URLSearchParams();
			for (const [k, v] of Object.entries(opts.query))
				if (v !== undefined && v !== null) q.set(k, String(v));
			const s = q.toString();
			if (s) url += (url.includes('?') ? '&' : '?') + s;
		}
		const res = await fetch(url, { method, headers, body, redirect: 'manual' });
		this.takeCookie(res);
		const text = await res.text();
		let json = null;
		if ((res.headers.get('content-type') || '').includes('json') && text.length) {
			try {
				json = JSON.parse(text);
			} catch (e) {
				throw new Error(`${method} ${urlPath}: reply is not JSON (${e.message}): ${text.slice(0, 300)}`);
			}
		}
		return {
			status: res.status,
			headers: res.headers,
			text,
			json,
			error: json && json.error ? json.error : null,
			what: `${this.username || 'anonymous'} ${method} ${urlPath} -> ${res.status} ${text.slice(0, 600)}`,
		};
	}

	takeCookie(res) {
		for (const c of res.headers.getSetCookie()) {
			const m = /^fk_session=([^;]*)/.exec(c);
			if (!m) continue;
			const expired = m[1] === '' || /max-age=0\b/i.test(c) ||
				/expires=thu, 01 jan 1970/i.test(c);
			this.cookie = expired ? null : `fk_session=${m[1]}`;
			this.lastSetCookie = c;
		}
	}

	get(p, opts) { return this.req('GET', p, opts); }
	post(p, json, opts = {}) { return this.req('POST', p, { ...opts, json }); }
	patch(p, json, opts = {}) { return this.req('PATCH', p, { ...opts, json }); }
	del(p, opts) { return this.req('DELETE', p, opts); }

	/* Logs in; resolves to the raw reply. On 200 the client keeps cookie, csrf and me. */
	async login(username, password = PASSWORD) {
		const r = await this.post('/api/v1/auth/login', { username, password });
		if (r.status === 200) {
			this.username = username;
			this.csrf = r.json.csrf_token;
			this.me = r.json.user;
		}
		return r;
	}

	/* GET that must answer 200; resolves to the JSON body. */
	async ok(p, opts) {
		const r = await this.get(p, opts);
		assert.equal(r.status, 200, r.what);
		return r.json;
	}
}

/* ---------------- assertions ---------------- */

/* Checks the error reply: status, the agreed shape, and the given code/field/line. */
export function assertError(r, status, want = {}) {
	assert.equal(r.status, status, r.what);
	assert.ok(r.json && r.json.error, `no {"error":...} body: ${r.what}`);
	const e = r.json.error;
	for (const k of ['code', 'message', 'message_zh', 'message_en', 'field', 'line'])
		assert.ok(k in e, `error lacks "${k}": ${r.what}`);
	assert.equal(typeof e.code, 'string', r.what);
	assert.ok(e.message_zh && e.message_en, `error messages empty: ${r.what}`);
	if (want.code !== undefined) assert.equal(e.code, want.code, r.what);
	if (want.field !== undefined) assert.equal(e.field, want.field, r.what);
	if (want.line !== undefined) assert.equal(Number(e.line), want.line, r.what);
	return e;
}

/* Checks that a reply about something the caller may not see (out) reads exactly as the reply
 * about something that does not exist (missing): the same status, content type and body bytes,
 * once each reply's own asked-for value (outName / missingName: the id or code in the URL or
 * body, echoed back) is replaced by one placeholder. The request ids may differ. */
export function assertSameAsMissing(out, missing, outName, missingName) {
	const norm = (r, name) => (name ? r.text.replaceAll(String(name), '<asked>') : r.text);
	assert.equal(out.status, missing.status, `out of scope ${out.what}\nmissing ${missing.what}`);
	assert.equal(out.headers.get('content-type'), missing.headers.get('content-type'));
	assert.equal(norm(out, outName), norm(missing, missingName),
		`an out-of-scope reply differs from a missing one:\n${out.what}\n${missing.what}`);
	assert.ok(missing.status >= 400, `expected a refusal: ${missing.what}`);
}

/* A 2xx that creates something: 200 or 201. */
export function assertCreated(r) {
	assert.ok(r.status === 201 || r.status === 200, `expected 201: ${r.what}`);
	assert.ok(r.json, r.what);
	return r.json;
}

export function assertStatus(r, status) {
	if (Array.isArray(status)) assert.ok(status.includes(r.status), r.what);
	else assert.equal(r.status, status, r.what);
	return r.json;
}

/* ---------------- resident ID numbers (GB 11643) ---------------- */

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function checkDigit(first17) {
	let s = 0;
	for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
	return '10X98765432'[s % 11];
}

/* A valid ID: region 370212, the birth date given (YYYYMMDD), a 3-digit sequence (odd = male). */
export function makeId(birth, seq) {
	const first17 = '370212' + birth + String(seq).padStart(3, '0');
	return first17 + checkDigit(first17);
}

/* The same with a wrong check digit. */
export function badCheckId(birth, seq) {
	const good = makeId(birth, seq);
	const wrong = good[17] === '0' ? '1' : '0';
	return good.slice(0, 17) + wrong;
}

/* What a Chinese input method or a spreadsheet gives for s: each printable ASCII character as
 * its full-width form (U+FF01..U+FF5E), a space as the ideographic space U+3000. */
export function fullWidth(s) {
	return [...s].map((c) => {
		const code = c.codePointAt(0);
		if (c === ' ') return '\u3000';
		return code > 0x20 && code < 0x7f ? String.fromCodePoint(code + 0xfee0) : c;
	}).join('');
}

/* A resident ID number whose check digit is X, born on birth, with a sequence from seq up. */
export function makeIdX(birth, seq) {
	for (let n = seq; n < seq + 100; n++) {
		const id = makeId(birth, n);
		if (id.endsWith('X')) return id;
	}
	throw new Error(`no X check digit for ${birth} from ${seq}`);
}

export function phoneFor(n) {
	return '139' + String(n).padStart(8, '0');
}

/* ---------------- the server ---------------- */

/* opts: testClock (start serve with --test-clock and FANGKONG_TEST_MODE=1), args (more
 * flags for serve). */
export function harness(label, opts = {}) {
	const h = {
		label,
		base: null,
		dbUrl: null,
		proc: null,
		stdout: '',
		stderr: '',
		logFile: null,
		exit: null,
		clients: new Map(),
	};
	let tmpdir;
	let store;
	let exited;

	h.logTail = (n = 40) => {
		return `--- fangkong serve stderr (last ${n} lines; full log ${h.logFile}) ---\n` +
			tail(h.stderr, n);
	};

	/* node:test's test(), with the server log appended to any failure; options (skip...)
	 * may come between name and fn, as for test(). */
	h.test = (name, options, fn) => {
		if (typeof options === 'function') [options, fn] = [{}, options];
		return test(name, options, async (t) => {
			try {
				await fn(t);
			} catch (e) {
				if (e && typeof e.message === 'string') e.message += '\n' + h.logTail();
				throw e;
			}
		});
	};

	/* A fresh anonymous client. */
	h.anon = () => new Client(h.base);

	/* A logged-in client for username (cached per file: logins are throttled per IP). */
	h.login = async (username, password = PASSWORD) => {
		if (h.clients.has(username)) return h.clients.get(username);
		const c = new Client(h.base, username);
		const r = await c.login(username, password);
		assert.equal(r.status, 200, `login ${username}: ${r.what}`);
		assert.ok(c.cookie, `login ${username} set no fk_session cookie`);
		assert.ok(c.csrf, `login ${username} gave no csrf_token`);
		h.clients.set(username, c);
		return c;
	};

	h.cli = (args, opts) => runCli(args, opts);

	before(async () => {
		tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), `fk-api-${label}-`));
		h.logFile = path.join(tmpdir, 'serve.log');
		store = createStore(label, tmpdir);
		h.dbUrl = store.url;
		const demo = await runCli(['demo', '--db', h.dbUrl, '--residents', String(RESIDENTS),
			'--seed', '1', '--password', PASSWORD]);
		fs.writeFileSync(path.join(tmpdir, 'demo.log'), demo.stdout + demo.stderr);
		assert.equal(demo.status, 0, `fangkong demo failed (${demo.status}):\n${tail(demo.stderr, 40)}`);
		noSanitizerReport(demo.stderr, 'fangkong demo');
		await startServe();
	}, { timeout: 180_000 });

	after(async () => {
		if (h.proc && h.exit === null) {
			h.proc.kill('SIGKILL');
			await exited;
		}
		try {
			store && store.drop();
		} catch (e) {
			console.error(`dropping the store failed: ${e.message}`);
		}
	});

	async function startServe() {
		const srv = await startServer(h.dbUrl, { ...opts, logFile: h.logFile });
		h.proc = srv.proc;
		h.base = srv.base;
		exited = srv.exited;
		exited.then((x) => (h.exit = x));
		Object.defineProperty(h, 'stderr', { get: () => srv.stderr, configurable: true });
		Object.defineProperty(h, 'stdout', { get: () => srv.stdout, configurable: true });
	}

	/* Moves the test clock of this file's server (harness(label, {testClock: true})):
	 * body is {set: ISO time} or {advance: 'PT3H'} or {advance_ms: n}; resolves to the reply
	 * {now, now_ms, offset_ms}. */
	h.moveClock = (client, body) => moveClock(client, body);

	/* The last test of a file: SIGTERM, exit status 0, no sanitizer reports. */
	h.shutdownTest = () =>
		test('serve stops cleanly on SIGTERM (exit 0, no sanitizer report)', async () => {
			assert.ok(h.proc, 'server never started');
			assert.equal(h.exit, null, `serve died during the tests: ${JSON.stringify(h.exit)}\n${h.logTail()}`);
			h.proc.kill('SIGTERM');
			let timer;
			const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), 20_000)));
			const x = await Promise.race([exited, timeout]);
			clearTimeout(timer);
			assert.notEqual(x, 'timeout', `serve did not exit within 20 s of SIGTERM\n${h.logTail()}`);
			assert.deepEqual(x, { code: 0, signal: null }, `serve exit status\n${h.logTail()}`);
			noSanitizerReport(h.stderr, 'fangkong serve');
		});

	return h;
}

/* Starts `fangkong serve` on dbUrl and a free port, and waits for /healthz. opts: testClock,
 * args (more flags), logFile (stderr is copied there). Resolves to {proc, base, exited (a
 * promise of {code, signal}), stderr and stdout (as read so far), stop()} where stop sends
 * SIGTERM and checks exit status 0 and no sanitizer report. */
export async function startServer(dbUrl, opts = {}) {
	const srv = { proc: null, base: null, stderr: '', stdout: '', exit: null };
	const log = opts.logFile ? fs.createWriteStream(opts.logFile) : null;
	const args = ['serve', '--db', dbUrl, '--listen', '127.0.0.1:0', ...(opts.args || [])];
	if (opts.testClock) args.push('--test-clock');
	srv.proc = spawn(bin(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: TEST_ENV });
	srv.exited = new Promise((resolve) => {
		srv.proc.on('exit', (code, signal) => {
			srv.exit = { code, signal };
			resolve(srv.exit);
		});
	});
	srv.proc.stderr.on('data', (d) => {
		srv.stderr += d;
		if (log) log.write(d);
	});
	const logTail = () => `--- fangkong serve stderr (last 40 lines) ---\n${tail(srv.stderr, 40)}`;
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(
			`serve printed no "http://127.0.0.1:PORT" line in 30 s\n${logTail()}`)), 30_000);
		srv.proc.stdout.on('data', (d) => {
			srv.stdout += d;
			const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(srv.stdout);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		srv.exited.then((x) => {
			clearTimeout(timer);
			reject(new Error(`serve exited early (${JSON.stringify(x)})\n${logTail()}`));
		});
	});
	assert.ok(port > 0, `serve reported port ${port}`);
	srv.base = `http://127.0.0.1:${port}`;
	await waitFor(async () => {
		try {
			return (await fetch(srv.base + '/healthz')).status === 200;
		} catch {
			return false; /* not up yet */
		}
	}, `/healthz answering 200\n${logTail()}`, 20_000);
	srv.stop = async () => {
		srv.proc.kill('SIGTERM');
		let timer;
		const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), 20_000)));
		const x = await Promise.race([srv.exited, timeout]);
		clearTimeout(timer);
		assert.notEqual(x, 'timeout', `serve did not exit within 20 s of SIGTERM\n${logTail()}`);
		assert.deepEqual(x, { code: 0, signal: null }, `serve exit status\n${logTail()}`);
		noSanitizerReport(srv.stderr, 'fangkong serve');
	};
	return srv;
}

/* Polls cond (sync or async) every 50 ms until it returns a truthy value, which it resolves
 * to; fails naming what after timeoutMs. For conditions another thread makes true (a job run
 * by the scheduler), never a fixed sleep. */
export async function waitFor(cond, what, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await cond();
		if (v) return v;
		assert.ok(Date.now() < deadline, `gave up after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/* POST /api/v1/test/clock as client (an admin) on a server started with the test clock. */
export async function moveClock(client, body) {
	const r = await client.post('/api/v1/test/clock', body);
	assert.equal(r.status, 200, r.what);
	return r.json;
}

/* The value of one Prometheus sample line, e.g. metric('fk_job_runs_total{job="x"}'); 0 when
 * absent. */
export function metricValue(text, sample) {
	for (const line of text.split('\n'))
		if (line.startsWith(sample + ' ')) return Number(line.slice(sample.length + 1));
	return 0;
}

/* ---------------- demo-district lookups ---------------- */

/* The area with exactly this code, as client sees it (q= searches name/code within scope). */
export async function areaByCode(client, code) {
	const r = await client.get('/api/v1/areas', { query: { q: code } });
	assert.equal(r.status, 200, r.what);
	const a = r.json.items.find((x) => x.code === code);
	assert.ok(a, `area ${code} not found by ${client.username}: ${r.what}`);
	return a;
}

/* Every item of a paged people search (follows next_cursor). */
export async function allPeople(client, query, limit = 100) {
	const out = [];
	let cursor;
	for (let i = 0; i < 200; i++) {
		const r = await client.get('/api/v1/people', { query: { ...query, limit, cursor } });
		assert.equal(r.status, 200, r.what);
		out.push(...r.json.items);
		cursor = r.json.next_cursor;
		if (!cursor) return out;
	}
	throw new Error('paging did not end after 200 pages');
}

/* Creates a resident in area areaId with a valid ID number built from seq (1..999) and
 * birth (YYYYMMDD); resolves to the person JSON. */
export async function newPerson(client, areaId, seq, fields = {}) {
	const birth = fields.birth || '19800101';
	const body = {
		name: fields.name || `测试${seq}`,
		id_type: 'resident',
		id_number: makeId(birth, seq),
		phone: phoneFor(seq),
		area_id: areaId,
		household: '1-101',
		residence: 'permanent',
		tags: [],
		...fields,
	};
	delete body.birth;
	const r = await client.post('/api/v1/people', body);
	return assertCreated(r);
}
