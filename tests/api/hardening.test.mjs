// hardening: who a request comes from (X-Forwarded-For / -Proto believed from --trusted-proxies
// only), /metrics behind a token or loopback, TLS with HSTS and Secure cookies, the security
// headers of every reply, and the write rate limits per user and per client address.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
	harness, startServer, runCli, moveClock, waitFor, areaByCode, assertError, Client,
	noSanitizerReport, PASSWORD, TEST_ENV, bin,
} from './lib/harness.mjs';

const h = harness('hardening');

/* One request with node's http/https (a local address, a CA, raw headers); resolves to
 * {status, headers, text, json, error, what}. */
function call(base, method, urlPath, opts = {}) {
	const u = new URL(base + urlPath);
	const mod = u.protocol === 'https:' ? https : http;
	const body = opts.json !== undefined ? JSON.stringify(opts.json) : undefined;
	const headers = { ...(opts.headers || {}) };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (opts.client && opts.client.cookie) headers.cookie = opts.client.cookie;
	if (opts.client && method !== 'GET') headers['x-csrf-token'] = opts.client.csrf;
	return new Promise((resolve, reject) => {
		const req = mod.request({
			host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers,
			localAddress: opts.localAddress, ca: opts.ca, agent: false,
		}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (text += d));
			res.on('end', () => {
				let json = null;
				try {
					json = JSON.parse(text);
				} catch {
					/* metrics are text */
				}
				resolve({
					status: res.statusCode, headers: res.headers, text, json,
					error: json && json.error ? json.error : null,
					what: `${method} ${urlPath} -> ${res.statusCode} ${text.slice(0, 300)}`,
				});
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

/* Logs username in on base through call(); resolves to {cookie, csrf, setCookie, reply}. */
async function login(base, username, opts = {}) {
	const r = await call(base, 'POST', '/api/v1/auth/login',
		{ ...opts, json: { username, password: PASSWORD } });
	assert.equal(r.status, 200, r.what);
	const setCookie = [].concat(r.headers['set-cookie'] || []).find((c) => c.startsWith('fk_session='));
	assert.ok(setCookie, r.what);
	return { cookie: setCookie.split(';')[0], csrf: r.json.csrf_token, setCookie, reply: r };
}

/* The client address the server logged for the request with this reply's X-Request-Id. */
function loggedIp(stderr, reply) {
	const rid = reply.headers['x-request-id'];
	const line = stderr.split('\n').find((l) => l.includes(`rid=${rid} `) && l.includes(' ip='));
	assert.ok(line, `no log line for rid=${rid}`);
	return /\bip=(\S+)/.exec(line)[1];
}

async function loggedIpOf(srv, reply) {
	return waitFor(() => {
		try {
			return loggedIp(srv.stderr, reply);
		} catch {
			return null;
		}
	}, `the log line of ${reply.headers['x-request-id']}`);
}

function assertSecurityHeaders(r, what) {
	const csp = r.headers['content-security-policy'] || '';
	assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
	assert.equal(r.headers['x-frame-options'], 'DENY', what);
	assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
	assert.equal(r.headers['referrer-policy'], 'same-origin', what);
	assert.equal(r.headers['permissions-policy'], 'camera=(self), geolocation=(), microphone=()', what);
	assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', what);
}

h.test('every reply carries the security headers; no HSTS over plain HTTP', async () => {
	const admin = await login(h.base, 'admin');
	for (const [method, p, status] of [['GET', '/healthz', 200], ['GET', '/api/v1/nowhere', 404],
		['GET', '/', 200], ['POST', '/api/v1/auth/login', 400], ['GET', '/api/v1/auth/me', 200]]) {
		const r = await call(h.base, method, p, { client: p.endsWith('/me') ? admin : null,
			json: method === 'POST' ? {} : undefined });
		assert.equal(r.status, status, r.what);
		assertSecurityHeaders(r, `${method} ${p}`);
		assert.equal(r.headers['strict-transport-security'], undefined, `${method} ${p}: HSTS over http`);
	}
});

h.test('without --trusted-proxies, X-Forwarded-For and X-Forwarded-Proto are ignored', async () => {
	const spoof = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };
	const s = await login(h.base, 'commander', { headers: spoof });
	assert.doesNotMatch(s.setCookie, /;\s*Secure/i, `a spoofed https got a Secure cookie: ${s.setCookie}`);
	assert.equal(s.reply.headers['strict-transport-security'], undefined);
	assert.equal(await loggedIpOf(h, s.reply), '127.0.0.1');
	/* /metrics is loopback-only without a token: a forged address does not lock it, either. */
	const m = await call(h.base, 'GET', '/metrics', { headers: spoof });
	assert.equal(m.status, 200, m.what);
	assert.match(m.text, /fk_build_info/);
});

h.test('from a trusted proxy the client address and scheme are taken; from other peers not', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--trusted-proxies', '10.0.0.0/8, 127.0.0.1/32'] });
	try {
		/* The proxy (127.0.0.1) says https: Secure cookie, HSTS. */
		const s = await login(srv.base, 'commander', {
			headers: { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' } });
		assert.match(s.setCookie, /;\s*Secure/i, s.setCookie);
		assert.equal(s.reply.headers['strict-transport-security'], 'max-age=31536000');
		assert.equal(await loggedIpOf(srv, s.reply), '198.51.100.9');
		/* No X-Forwarded-Proto: plain http, no Secure. */
		const plain = await login(srv.base, 'commander');
		assert.doesNotMatch(plain.setCookie, /;\s*Secure/i, plain.setCookie);
		assert.equal(await loggedIpOf(srv, plain.reply), '127.0.0.1');
		/* The rightmost address that is not a trusted proxy: what the client wrote to the left
		 * of it is not believed; a chain of trusted proxies is walked through. */
		for (const [xff, want] of [
			['203.0.113.5, 198.51.100.9', '198.51.100.9'],
			['198.51.100.9, 10.1.2.3', '198.51.100.9'],
			['198.51.100.9,10.1.2.3, 10.9.9.9', '198.51.100.9'],
			['not-an-address', '127.0.0.1'],
			['2001:db8::7', '2001:db8::7'],
		]) {
			const r = await call(srv.base, 'GET', '/healthz', { headers: { 'x-forwarded-for': xff } });
			assert.equal(r.status, 200, r.what);
			assert.equal(await loggedIpOf(srv, r), want, `X-Forwarded-For: ${xff}`);
		}
		/* Two X-Forwarded-For headers count in order. */
		const two = await new Promise((resolve, reject) => {
			const u = new URL(srv.base);
			const req = http.request({ host: u.hostname, port: u.port, path: '/healthz', agent: false,
				headers: [['x-forwarded-for', '198.51.100.1'], ['x-forwarded-for', '198.51.100.2']] },
			(res) => { res.resume(); res.on('end', () => resolve(res)); });
			req.on('error', reject);
			req.end();
		});
		assert.equal(await loggedIpOf(srv, { headers: two.headers }), '198.51.100.2');
		/* Another peer (127.0.0.5, not in the list) is not believed. */
		const other = await login(srv.base, 'commander', { localAddress: '127.0.0.5',
			headers: { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' } });
		assert.doesNotMatch(other.setCookie, /;\s*Secure/i, other.setCookie);
		assert.equal(await loggedIpOf(srv, other.reply), '127.0.0.5');
		/* /metrics through the proxy for an outside client: refused; for the proxy itself: served. */
		assertError(await call(srv.base, 'GET', '/metrics',
			{ headers: { 'x-forwarded-for': '198.51.100.9' } }), 403, { code: 'metrics_forbidden' });
		assert.equal((await call(srv.base, 'GET', '/metrics')).status, 200);
	} finally {
		await srv.stop();
	}
});

h.test('the audit log keeps the client address the trusted proxy names', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--trusted-proxies', '127.0.0.1/32'] });
	try {
		const s = await login(srv.base, 'admin', { headers: { 'x-forwarded-for': '198.51.100.77' } });
		const r = await call(srv.base, 'GET', '/api/v1/audit?action=auth.login&limit=5', { client: s });
		assert.equal(r.status, 200, r.what);
		assert.ok(JSON.stringify(r.json).includes('198.51.100.77'), `no audit row from 198.51.100.77: ${r.what}`);
	} finally {
		await srv.stop();
	}
});

h.test('/metrics with --metrics-token needs the Bearer token; without one, loopback only', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--metrics-token', 'Scrape-secret-1'] });
	try {
		assertError(await call(srv.base, 'GET', '/metrics'), 401, { code: 'metrics_token' });
		const wrong = await call(srv.base, 'GET', '/metrics', { headers: { authorization: 'Bearer Scrape-secret-2' } });
		assertError(wrong, 401, { code: 'metrics_token' });
		assert.match(wrong.headers['www-authenticate'] || '', /^Bearer/);
		const shorter = await call(srv.base, 'GET', '/metrics', { headers: { authorization: 'Bearer Scrape' } });
		assertError(shorter, 401, { code: 'metrics_token' });
		const ok = await call(srv.base, 'GET', '/metrics', { headers: { authorization: 'Bearer Scrape-secret-1' } });
		assert.equal(ok.status, 200, ok.what);
		assert.match(ok.text, /^fk_build_info/m);
		assertSecurityHeaders(ok, '/metrics');
	} finally {
		await srv.stop();
	}
});

/* A self-signed P-256 certificate for localhost, made by the openssl command. */
function makeCert(dir) {
	const cert = path.join(dir, 'cert.pem');
	const key = path.join(dir, 'key.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
		'-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
		'-keyout', key, '-out', cert], { stdio: 'ignore' });
	return { cert, key };
}

/* serve with args until its banner names its address; resolves to {proc, base, stderr, stop}. */
async function serveRaw(args) {
	const srv = { stderr: '', stdout: '' };
	srv.proc = spawn(bin(), ['serve', '--db', h.dbUrl, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: TEST_ENV });
	srv.exited = new Promise((resolve) => srv.proc.on('exit', (code, signal) => resolve({ code, signal })));
	srv.proc.stderr.on('data', (d) => (srv.stderr += d));
	srv.base = await new Promise((resolve, reject) => {
		srv.proc.stdout.on('data', (d) => {
			srv.stdout += d;
			const m = /serving (https?:\/\/[^ ]+) /.exec(srv.stdout);
			if (m) resolve(m[1]);
		});
		srv.exited.then((x) => reject(new Error(`serve exited (${JSON.stringify(x)}): ${srv.stderr.slice(-2000)}`)));
	});
	srv.stop = async () => {
		srv.proc.kill('SIGTERM');
		assert.deepEqual(await srv.exited, { code: 0, signal: null }, srv.stderr.slice(-2000));
		noSanitizerReport(srv.stderr, 'fangkong serve');
	};
	return srv;
}

h.test('a client on another address of the machine gets 403 from /metrics without a token', async (t) => {
	const ext = Object.values(os.networkInterfaces()).flat()
		.find((i) => i && i.family === 'IPv4' && !i.internal);
	if (!ext) {
		t.skip('no address but loopback on this machine');
		return;
	}
	const srv = await serveRaw(['--listen', '0.0.0.0:0']);
	try {
		const port = new URL(srv.base).port;
		const outside = await call(`http://${ext.address}:${port}`, 'GET', '/metrics');
		assertError(outside, 403, { code: 'metrics_forbidden' });
		const inside = await call(`http://127.0.0.1:${port}`, 'GET', '/metrics');
		assert.equal(inside.status, 200, inside.what);
	} finally {
		await srv.stop();
	}
});

h.test('--tls-cert and --tls-key: HTTPS, HSTS, Secure cookies; bad files refused naming them', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-tls-'));
	const { cert, key } = makeCert(dir);
	const ca = fs.readFileSync(cert);
	const srv = await serveRaw(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
	try {
		assert.match(srv.base, /^https:\/\/127\.0\.0\.1:\d+$/);
		const r = await call(srv.base, 'GET', '/healthz', { ca });
		assert.equal(r.status, 200, r.what);
		assert.equal(r.json.status, 'ok');
		assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
		assertSecurityHeaders(r, 'https /healthz');
		const s = await login(srv.base, 'commander', { ca });
		assert.match(s.setCookie, /;\s*Secure/i, s.setCookie);
		const me = await call(srv.base, 'GET', '/api/v1/auth/me', { ca, client: s });
		assert.equal(me.status, 200, me.what);
		/* Plain HTTP to the TLS port gets no HTTP reply. */
		const plain = await call(srv.base.replace('https:', 'http:'), 'GET', '/healthz').catch((e) => e);
		assert.ok(plain instanceof Error || plain.status !== 200, 'plain HTTP answered on the TLS port');
	} finally {
		await srv.stop();
	}
	const serveArgs = ['serve', '--db', h.dbUrl, '--listen', '127.0.0.1:0'];
	for (const [args, named] of [
		[['--tls-cert', cert], /--tls-cert and --tls-key go together/],
		[['--tls-cert', path.join(dir, 'missing.pem'), '--tls-key', key], /--tls-cert \S*missing\.pem: cannot read/],
		[['--tls-cert', cert, '--tls-key', path.join(dir, 'nokey.pem')], /--tls-key \S*nokey\.pem: cannot read/],
		[['--tls-cert', cert, '--tls-key', '/etc/hostname'], /--tls-key \/etc\/hostname: not a PEM file/],
		[['--trusted-proxies', '10.0.0.0/8,10.0.0.0/33'], /--trusted-proxies 10\.0\.0\.0\/8,10\.0\.0\.0\/33: "10\.0\.0\.0\/33" is not a CIDR range/],
		[['--trusted-proxies', 'proxy.example'], /"proxy\.example" is not a CIDR range/],
		[['--write-rate', '-1'], /--write-rate -1/],
	]) {
		const x = await runCli([...serveArgs, ...args]);
		assert.notEqual(x.status, 0, `${args.join(' ')} started`);
		assert.match(x.stderr, named);
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

/* A street of the demo district, and a write any admin or commander may repeat: the street
 * renamed to its own name. */
const STREET = '370212001';

/* A harness Client with the session of a login() above. */
function asClient(base, s) {
	return Object.assign(new Client(base, 'admin'), { cookie: s.cookie, csrf: s.csrf });
}

async function rename(base, s, area, opts = {}) {
	return call(base, 'PATCH', `/api/v1/areas/${area.id}`, { ...opts, client: s, json: { name: area.name } });
}

h.test('writes per user are limited: 429 rate_limited with Retry-After, reads go on, the clock refills', async () => {
	const srv = await startServer(h.dbUrl, { testClock: true, args: ['--write-rate', '3', '--write-rate-ip', '1000'] });
	try {
		const admin = await login(srv.base, 'admin');
		const commander = await login(srv.base, 'commander');
		const area = await areaByCode(asClient(srv.base, admin), STREET);
		for (let i = 0; i < 3; i++)
			assert.equal((await rename(srv.base, commander, area)).status, 200, `write ${i + 1}`);
		const refused = await rename(srv.base, commander, area);
		assertError(refused, 429, { code: 'rate_limited' });
		const wait = Number(refused.headers['retry-after']);
		assert.ok(wait >= 1 && wait <= 20, `Retry-After ${refused.headers['retry-after']}`);
		assertSecurityHeaders(refused, '429');
		/* Reads are not limited; another user is not affected. */
		assert.equal((await call(srv.base, 'GET', `/api/v1/areas/${area.id}`, { client: commander })).status, 200);
		assert.equal((await rename(srv.base, admin, area)).status, 200);
		/* A bodyless write counts as one too (logout is a write); still refused. */
		assertError(await call(srv.base, 'POST', '/api/v1/auth/logout', { client: commander }), 429,
			{ code: 'rate_limited' });
		/* The bucket refills with the clock: one write per 20 s at 3 a minute. */
		await moveClock(asClient(srv.base, admin), { advance_ms: 21_000 });
		assert.equal((await rename(srv.base, commander, area)).status, 200, 'after 21 s');
		assertError(await rename(srv.base, commander, area), 429, { code: 'rate_limited' });
	} finally {
		await srv.stop();
	}
});

h.test('writes per client address are limited, by the address a trusted proxy names', async () => {
	const srv = await startServer(h.dbUrl, { testClock: true,
		args: ['--write-rate', '1000', '--write-rate-ip', '3', '--trusted-proxies', '127.0.0.1/32'] });
	try {
		const a = { 'x-forwarded-for': '198.51.100.1' };
		const b = { 'x-forwarded-for': '198.51.100.2' };
		const admin = await login(srv.base, 'admin', { headers: a });
		const commander = await login(srv.base, 'commander', { headers: a });
		const area = await areaByCode(asClient(srv.base, admin), STREET);
		for (let i = 0; i < 3; i++)
			assert.equal((await rename(srv.base, i % 2 ? admin : commander, area, { headers: a })).status, 200);
		const refused = await rename(srv.base, admin, area, { headers: a });
		assertError(refused, 429, { code: 'rate_limited' });
		assert.ok(Number(refused.headers['retry-after']) >= 1, refused.headers['retry-after']);
		assert.match(refused.error.message_en, /address/);
		/* The same users from another address behind the proxy are not limited. */
		assert.equal((await rename(srv.base, admin, area, { headers: b })).status, 200);
		assert.equal((await rename(srv.base, commander, area, { headers: b })).status, 200);
		/* A request refused by a check before the limit (no CSRF token) takes nothing. */
		const noCsrf = await call(srv.base, 'PATCH', `/api/v1/areas/${area.id}`,
			{ headers: { ...b, cookie: admin.cookie }, json: { name: area.name } });
		assertError(noCsrf, 403, { code: 'csrf' });
		assert.equal((await rename(srv.base, admin, area, { headers: b })).status, 200, 'the third from b');
		await moveClock(asClient(srv.base, admin), { advance_ms: 21_000 });
		assert.equal((await rename(srv.base, admin, area, { headers: a })).status, 200, 'a after 21 s');
	} finally {
		await srv.stop();
	}
});

h.test('by default the limits leave room: 100 quick writes by one user pass', async () => {
	const admin = await login(h.base, 'admin');
	const area = await areaByCode(asClient(h.base, admin), STREET);
	const statuses = await Promise.all(Array.from({ length: 100 }, () => rename(h.base, admin, area)));
	assert.deepEqual([...new Set(statuses.map((r) => r.status))], [200]);
});

h.shutdownTest();
