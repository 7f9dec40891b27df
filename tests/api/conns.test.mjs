// Connections under abuse: request-head deadlines, the per-address cap, a
// clean 503 past --max-conns while /healthz answers, the head's size caps answered in JSON, and
// the security headers on every reply (the API and the web app's pages).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harness, startServer, waitFor, metricValue } from './lib/harness.mjs';
import { openRaw, rawGet, closedBy } from './lib/raw.mjs';

const h = harness('conns');

async function metric(base, sample) {
	return metricValue(await (await fetch(base + '/metrics')).text(), sample);
}

h.test('a connection that trickles its request head is shut at the deadline; a kept-alive one is not', async () => {
	/* Timeouts are real time (the test clock moves days, not sockets): a short head deadline
	 * here, far below the idle timeout, and waits for the condition. */
	const srv = await startServer(h.dbUrl, { args: ['--header-timeout', '2', '--timeout', '60'] });
	let trickle;
	try {
		const slow = await openRaw(srv.base, '127.0.0.5');
		slow.write('GET /healthz HTTP/1.1\r\nHost: fangkong\r\n'); /* the head never ends */
		/* A header line every 300 ms: libmicrohttpd's idle timeout never fires. */
		trickle = setInterval(() => slow.gone || slow.write('X-Trickle: 1\r\n'), 300);
		const kept = await openRaw(srv.base, '127.0.0.5');
		assert.equal((await rawGet(kept, '/healthz')).status, 200);
		assert.equal(slow.gone, false, 'shut before its head deadline');

		await waitFor(() => slow.gone, 'the trickling connection shut after 2 s', 10_000);
		assert.equal(slow.data.length, 0, 'a shut connection gets no reply');
		assert.ok(await metric(srv.base, 'fk_http_connections_reaped_total') >= 1);
		assert.equal(kept.gone, false, 'a kept-alive connection was shut at the head deadline');
		assert.equal((await rawGet(kept, '/healthz')).status, 200);
		kept.destroy();
	} finally {
		clearInterval(trickle);
		await srv.stop();
	}
});

h.test('one address gets --max-conns-per-ip connections; others are still served', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--max-conns-per-ip', '4'] });
	try {
		const mine = [];
		for (let i = 0; i < 4; i++) {
			const s = await openRaw(srv.base, '127.0.0.6');
			s.write('GET /healthz HTTP/1.1\r\n'); /* held open, as a slow client would */
			mine.push(s);
		}
		const fifth = await openRaw(srv.base, '127.0.0.6');
		assert.equal(await rawGet(fifth, '/healthz'), null, 'the fifth connection was served');
		await closedBy(fifth);
		const other = await openRaw(srv.base, '127.0.0.7');
		const r = await rawGet(other, '/healthz');
		assert.equal(r && r.status, 200, 'another address was not served');
		mine[0].destroy();
		await waitFor(async () => {
			const again = await openRaw(srv.base, '127.0.0.6');
			const ok = await rawGet(again, '/healthz');
			again.destroy();
			return ok && ok.status === 200;
		}, 'a slot of 127.0.0.6 free again once one of its connections closed');
		for (const s of [...mine, other]) s.destroy();
	} finally {
		await srv.stop();
	}
});

h.test('past --max-conns a new connection is answered 503 server_busy at once, /healthz still 200, those within still served', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--max-conns', '16', '--max-conns-per-ip', '0'] });
	try {
		const held = [];
		let busy = null;
		for (let i = 0; i < 20 && !busy; i++) {
			const s = await openRaw(srv.base, '127.0.0.8');
			const r = await rawGet(s, '/api/v1/areas');
			assert.ok(r, `connection ${i + 1} got no reply`);
			if (r.status === 503) busy = { r, s, at: i + 1 };
			else held.push(s);
		}
		assert.ok(busy, 'no 503 within 20 connections with --max-conns 16');
		/* 16 served, counting the one the start check may still keep alive. */
		assert.ok(busy.at >= 16 && busy.at <= 17, `503 came at connection ${busy.at}`);
		assert.equal(busy.r.json.error.code, 'server_busy');
		assert.equal(busy.r.headers['retry-after'], '5');
		await closedBy(busy.s);

		const probe = await openRaw(srv.base, '127.0.0.8');
		const health = await rawGet(probe, '/healthz');
		assert.equal(health && health.status, 200, '/healthz refused at the limit');
		/* A phone connected within the limit is still served while others come past it. */
		for (const s of [held[0], held[held.length - 1]]) {
			const kept = await rawGet(s, '/api/v1/areas');
			assert.equal(kept && kept.status, 401, 'a connection opened within the limit was refused');
		}
		probe.destroy();
		for (const s of held.splice(0, 4)) s.destroy();
		await waitFor(async () => {
			const s = await openRaw(srv.base, '127.0.0.8');
			const r = await rawGet(s, '/api/v1/areas');
			s.destroy();
			return r && r.status === 401;
		}, 'served again (401: no session) once connections closed');
		for (const s of held) s.destroy();
	} finally {
		await srv.stop();
	}
});

h.test('an address or headers over their caps get 414 / 431 in the JSON error shape', async () => {
	const anon = h.anon();
	const longQuery = await fetch(h.base + '/api/v1/areas?q=' + 'a'.repeat(10_000));
	assert.equal(longQuery.status, 414);
	assert.equal((await longQuery.json()).error.code, 'uri_too_long');
	const longPath = await fetch(h.base + '/' + 'p'.repeat(9_000));
	assert.equal(longPath.status, 414);
	assert.equal((await longPath.json()).error.code, 'uri_too_long');

	const s = await openRaw(h.base);
	const big = await rawGet(s, '/api/v1/areas', `X-Pad: ${'b'.repeat(14_000)}\r\n`);
	assert.equal(big && big.status, 431, big ? big.body : 'no reply');
	assert.match(big.headers['content-type'], /^application\/json/);
	assert.equal(big.json.error.code, 'headers_too_large');
	s.destroy();
	assert.equal((await anon.get('/healthz')).status, 200);
});

const CSP_API = "default-src 'none'; frame-ancestors 'none'";

h.test('every reply carries CSP with frame-ancestors, the web app its own policy', async () => {
	for (const p of ['/healthz', '/api/v1/areas', '/api/v1/nothing-here']) {
		const r = await fetch(h.base + p);
		assert.ok(r.headers.get('content-security-policy').startsWith(CSP_API), `${p} CSP`);
		assert.equal(r.headers.get('x-frame-options'), 'DENY', `${p} X-Frame-Options`);
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-web-'));
	fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>fk</title>');
	const srv = await startServer(h.dbUrl, { args: ['--web', dir] });
	try {
		for (const p of ['/', '/index.html', '/people/42']) {
			const r = await fetch(srv.base + p);
			assert.equal(r.status, 200, p);
			assert.match(await r.text(), /<title>fk<\/title>/);
			const csp = r.headers.get('content-security-policy') || '';
			assert.match(csp, /frame-ancestors 'none'/, `${p}: ${csp}`);
			assert.match(csp, /script-src 'self'(;|$)/, `${p}: ${csp}`);
			assert.equal(r.headers.get('x-frame-options'), 'DENY');
		}
	} finally {
		await srv.stop();
		fs.rmSync(dir, { recursive: true });
	}
});

h.test('the installable app: the service worker and manifest with their types, the worker never cached', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-web-'));
	fs.mkdirSync(path.join(dir, 'assets'));
	fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>fk</title>');
	fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
	fs.writeFileSync(path.join(dir, 'manifest.webmanifest'), '{"name":"fk"}');
	fs.writeFileSync(path.join(dir, 'assets', 'index-Ab3dE6gH.js'), 'export {}');
	const srv = await startServer(h.dbUrl, { args: ['--web', dir] });
	try {
		const get = async (p) => {
			const r = await fetch(srv.base + p);
			await r.arrayBuffer();
			return { status: r.status, type: r.headers.get('content-type') || '', cache: r.headers.get('cache-control') || '', csp: r.headers.get('content-security-policy') || '' };
		};
		const sw = await get('/sw.js');
		assert.equal(sw.status, 200);
		assert.match(sw.type, /^text\/javascript/);
		assert.equal(sw.cache, 'no-cache', 'a new service worker must be seen at the next start');
		assert.match((await get('/')).csp, /worker-src 'self'/, 'the page may register its worker');
		const mf = await get('/manifest.webmanifest');
		assert.equal(mf.status, 200);
		assert.match(mf.type, /^application\/manifest\+json/);
		assert.equal(mf.cache, 'no-cache');
		const asset = await get('/assets/index-Ab3dE6gH.js');
		assert.match(asset.cache, /max-age=31536000, immutable/);
		assert.equal((await get('/workbox-missing.js')).status, 404, 'a missing script is not the app page');
	} finally {
		await srv.stop();
		fs.rmSync(dir, { recursive: true });
	}
});

h.shutdownTest();
