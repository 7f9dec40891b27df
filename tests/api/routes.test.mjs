// routes: what `fangkong routes --json` says about writes holds on a running server. Every
// authenticated route that writes (POST, PUT, PATCH, DELETE) requires the CSRF token, no route
// that writes is public but those listed below on purpose, and each authenticated write sent
// with a valid session but without the X-CSRF-Token header is answered 403 "csrf" before its
// body is looked at (the body sent is not valid JSON, and changes nothing).
import assert from 'node:assert/strict';
import { harness, runCli, assertError } from './lib/harness.mjs';

// With the test clock, so that its route (mounted only then) is called like the others.
const h = harness('routes', { testClock: true });

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/* The writing routes that may be called without a session, and why. */
const PUBLIC_WRITES = new Map([
	// Logging in is how a session (and its CSRF token) is obtained: there is none to check yet.
	['POST /api/v1/auth/login', 'it makes the session the token belongs to'],
	// Login by phone code, the same: asking for a code and signing in with it come before any
	// session (both throttled per number or address).
	['POST /api/v1/auth/code', 'it sends the code a session is made with'],
	['POST /api/v1/auth/code/verify', 'it makes the session the token belongs to'],
	// A screening campaign's public form: whoever has the link registers, with no account.
	['POST /api/v1/public/screening/{token}', 'the public form of a campaign\'s link has no session'],
	// A call-out's public sign-up: whoever has the link signs up as a volunteer, with no account.
	['POST /api/v1/public/callouts/{token}', 'the public sign-up of a call-out\'s link has no session'],
]);

/* Some value for each {param} of a path: the router matches the shape, and the CSRF check
 * runs before any handler looks the value up. */
const PARAM_VALUES = { id: '1', code: 'CSRFTEST01', person_id: '1', area_id: '1', token: 'x', key: 'x' };

function concrete(path) {
	return path.replace(/\{([a-z_]+)\}/g, (_, name) => {
		assert.ok(name in PARAM_VALUES, `no test value for {${name}} in ${path}`);
		return PARAM_VALUES[name];
	});
}

let routes;

h.test('setup: the route table from `fangkong routes --json`', async () => {
	const r = await runCli(['routes', '--json']);
	assert.equal(r.status, 0, r.stderr);
	routes = JSON.parse(r.stdout);
	assert.ok(Array.isArray(routes) && routes.length > 50, `a route table: ${r.stdout.slice(0, 200)}`);
	for (const x of routes)
		for (const k of ['method', 'path', 'roles', 'public', 'csrf'])
			assert.ok(k in x, `route lacks "${k}": ${JSON.stringify(x)}`);
});

h.test('no route that writes is public, but the logins', () => {
	const writes = routes.filter((x) => WRITES.has(x.method));
	assert.ok(writes.length > 40, `writing routes: ${writes.length}`);
	const pub = writes.filter((x) => x.public).map((x) => `${x.method} ${x.path}`).sort();
	assert.deepEqual(pub, [...PUBLIC_WRITES.keys()].sort());
	for (const x of writes.filter((w) => w.public))
		assert.deepEqual(x.roles, [], `a public route has no roles: ${JSON.stringify(x)}`);
});

h.test('every authenticated route that writes is marked csrf; no read is', () => {
	const missing = routes.filter((x) => WRITES.has(x.method) && !x.public && x.csrf !== true);
	assert.deepEqual(missing.map((x) => `${x.method} ${x.path}`), []);
	const reads = routes.filter((x) => !WRITES.has(x.method));
	assert.ok(reads.length > 20, `reading routes: ${reads.length}`);
	assert.deepEqual(reads.filter((x) => x.csrf).map((x) => `${x.method} ${x.path}`), []);
});

h.test('each authenticated write without the CSRF header is 403 "csrf", before its body is read', async () => {
	const admin = await h.login('admin');
	const writes = routes.filter((x) => WRITES.has(x.method) && !x.public);
	assert.ok(writes.length > 40, `authenticated writing routes: ${writes.length}`);
	for (const x of writes) {
		// Every writing route is open to the admin, so the role check lets the call reach CSRF.
		assert.ok(x.roles.includes('admin'), `${x.method} ${x.path} is not the admin's: ${x.roles}`);
		const r = await admin.req(x.method, concrete(x.path),
			{ body: '{"not json', type: 'application/json', csrf: false });
		assertError(r, 403, { code: 'csrf' });
	}
	// The session is still good, so the refusals above were CSRF's and not a lost login.
	assert.equal((await admin.get('/api/v1/auth/me')).status, 200);
});

h.test('a write with the right token passes the CSRF check (and is then refused for its body)', async () => {
	const admin = await h.login('admin');
	const r = await admin.req('POST', '/api/v1/areas', { body: '{"not json', type: 'application/json' });
	assertError(r, 400);
	assert.notEqual(r.json.error.code, 'csrf', r.what);
});

h.shutdownTest();
