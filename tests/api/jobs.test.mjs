// jobs: the scheduler and the test clock through a real server started with --test-clock
// (and sessions of 10 minutes, by the users.session_minutes policy): GET /api/v1/jobs, POST /api/v1/test/clock and its refusals,
// the session purge run by moving the clock (once, counted in /metrics, logged), the hourly
// scan-key purge, the route's absence without the flag, serve's refusal of the flag outside
// test mode, and on PostgreSQL two servers on one database running each due job once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
	harness, Client, assertError, storeKind, runCli, startServer, waitFor, moveClock,
	metricValue,
} from './lib/harness.mjs';

const h = harness('jobs', { testClock: true });
const PURGE = 'users.purge_sessions';
const KEYS = 'platform.purge_client_keys';

/* A new admin session: moving the clock past 10 minutes ends the one before. */
async function freshAdmin(base = h.base) {
	const c = new Client(base, 'admin');
	const r = await c.login('admin');
	assert.equal(r.status, 200, r.what);
	return c;
}

async function jobsOf(client) {
	const r = await client.get('/api/v1/jobs');
	assert.equal(r.status, 200, r.what);
	return Object.fromEntries(r.json.items.map((j) => [j.name, j]));
}

async function metrics(base = h.base) {
	const r = await new Client(base).get('/metrics');
	assert.equal(r.status, 200, r.what);
	return r.text;
}

const runsOf = (text, job) => metricValue(text, `fk_job_runs_total{job="${job}"}`);
const lastCheckMs = (text, job) =>
	Math.round(metricValue(text, `fk_job_last_check_timestamp_seconds{job="${job}"}`) * 1000);

/* Resolves once the server at base has looked at job after a clock move to at least sinceMs. */
function checkedSince(base, job, sinceMs) {
	return waitFor(async () => lastCheckMs(await metrics(base), job) >= sinceMs,
		`the scheduler at ${base} to look at ${job} after the clock moved`);
}

h.test('sessions last 10 minutes here (the users.session_minutes policy, set first)', async () => {
	const admin = await freshAdmin();
	const r = await admin.req('PUT', '/api/v1/policies', {
		json: { values: { 'users.session_minutes': 10 }, reason: 'short sessions for the purge test' },
	});
	assert.equal(r.status, 200, r.what);
	const later = await freshAdmin();
	const me = await later.get('/api/v1/auth/me');
	assert.equal(me.status, 200, me.what);
});

h.test('GET /api/v1/jobs lists every module\'s jobs with their schedule, for admins only', async () => {
	const admin = await freshAdmin();
	const jobs = await jobsOf(admin);
	assert.ok(jobs[PURGE] && jobs[KEYS], JSON.stringify(jobs));
	assert.equal(jobs[PURGE].every_ms, 10 * 60 * 1000);
	assert.equal(jobs[PURGE].at, null);
	assert.equal(jobs[KEYS].every_ms, 3600 * 1000);
	for (const j of [jobs[PURGE], jobs[KEYS]]) {
		assert.equal(j.runs, 0, JSON.stringify(j));
		assert.equal(j.failures, 0, JSON.stringify(j));
		assert.equal(j.last_started, null, JSON.stringify(j));
		assert.ok(Date.parse(j.next_due) > Date.now(), JSON.stringify(j));
	}
	assertError(await (await h.login('commander')).get('/api/v1/jobs'), 403);
	assertError(await h.anon().get('/api/v1/jobs'), 401);
});

h.test('the test clock refuses bad moves naming the field, and non-admins', async () => {
	const admin = await freshAdmin();
	const t0 = Date.now();
	assertError(await admin.post('/api/v1/test/clock', { set: 'tomorrow' }), 400,
		{ code: 'invalid_clock', field: 'set' });
	assertError(await admin.post('/api/v1/test/clock', { set: '2026-12-07T08:00:00' }), 400,
		{ code: 'invalid_clock', field: 'set' });
	assertError(await admin.post('/api/v1/test/clock', { advance: '3 hours' }), 400,
		{ code: 'invalid_clock', field: 'advance' });
	assertError(await admin.post('/api/v1/test/clock', { advance: 'P1M' }), 400,
		{ code: 'invalid_clock', field: 'advance' });
	assertError(await admin.post('/api/v1/test/clock', { advance_ms: -1 }), 400,
		{ code: 'invalid_clock', field: 'advance_ms' });
	assertError(await admin.post('/api/v1/test/clock', { advance: 'PT1H', advance_ms: 5 }), 400,
		{ code: 'invalid_clock' });
	assertError(await admin.post('/api/v1/test/clock', { when: 'now' }), 400,
		{ code: 'unknown_field', field: 'when' });
	assertError(await (await h.login('commander')).post('/api/v1/test/clock', { advance: 'PT1H' }),
		403);
	const r = await moveClock(admin, {});
	assert.ok(Math.abs(r.now_ms - t0) < 60_000, `nothing moved the clock: ${JSON.stringify(r)}`);
	assert.equal(Date.parse(r.now), r.now_ms);
});

h.test('moving the clock past the session purge\'s due time runs it once: listed, counted, logged', async () => {
	let admin = await freshAdmin();
	const before = (await jobsOf(admin))[PURGE];
	const m0 = runsOf(await metrics(), PURGE);
	const moved = await moveClock(admin, { advance: 'PT11M' });
	assert.ok(moved.now_ms >= Date.parse(before.next_due), JSON.stringify({ moved, before }));
	admin = await freshAdmin(); // the 10-minute session before the move has expired
	const j = await waitFor(async () => {
		const x = (await jobsOf(admin))[PURGE];
		return x.runs === before.runs + 1 && x.last_finished ? x : null;
	}, `${PURGE} to run once`);
	assert.equal(j.last_ok, true, JSON.stringify(j));
	assert.equal(j.last_error, null, JSON.stringify(j));
	assert.equal(j.failures, 0, JSON.stringify(j));
	assert.ok(Date.parse(j.next_due) > moved.now_ms, JSON.stringify(j));
	const text = await metrics();
	assert.equal(runsOf(text, PURGE), m0 + 1, text);
	assert.equal(metricValue(text, `fk_job_failures_total{job="${PURGE}"}`), 0);
	assert.match(text, /^fk_job_last_duration_seconds\{job="users\.purge_sessions"\} \d/m);
	assert.match(h.stderr, /event=job name=users\.purge_sessions duration_ms=\d+ result=ok/);
	// The sessions of the first tests (10 minutes each) were past their end: the job deleted them.
	assert.match(h.stderr, /event=sessions_purged count=[1-9]/);

	// One more minute: the scheduler looks again and runs nothing (next due is 10 minutes on).
	const again = await moveClock(admin, { advance: 'PT1M' });
	await checkedSince(h.base, PURGE, again.now_ms - 30_000);
	assert.equal((await jobsOf(admin))[PURGE].runs, before.runs + 1);
	assert.equal(runsOf(await metrics(), PURGE), m0 + 1);
});

h.test('an hour later the scan-key purge has run once, and the session purge once more, not per missed time', async () => {
	let admin = await freshAdmin();
	const before = await jobsOf(admin);
	await moveClock(admin, { advance: 'PT1H' });
	admin = await freshAdmin();
	const jobs = await waitFor(async () => {
		const x = await jobsOf(admin);
		return x[KEYS].runs === 1 && x[KEYS].last_finished &&
			x[PURGE].runs === before[PURGE].runs + 1 && x[PURGE].last_finished ? x : null;
	}, `${KEYS} and ${PURGE} to run`);
	assert.equal(jobs[KEYS].last_ok, true, JSON.stringify(jobs[KEYS]));
	assert.equal(runsOf(await metrics(), KEYS), 1);
});

h.test('without --test-clock the clock route answers 404 like any unknown route', async () => {
	const plain = await startServer(h.dbUrl);
	try {
		const admin = await freshAdmin(plain.base);
		assertError(await admin.post('/api/v1/test/clock', { advance: 'PT1H' }), 404,
			{ code: 'no_route' });
		assertError(await new Client(plain.base).post('/api/v1/test/clock', {}), 404,
			{ code: 'no_route' });
		assert.equal((await admin.get('/api/v1/jobs')).status, 200);
	} finally {
		await plain.stop();
	}
});

h.test('serve refuses --test-clock unless FANGKONG_TEST_MODE=1, and --help says so', async () => {
	for (const [args, env] of [
		[['--test-clock'], { FANGKONG_TEST_MODE: '' }],
		[['--test-clock'], { FANGKONG_TEST_MODE: 'yes' }],
		[[], { FANGKONG_TEST_MODE: '', FANGKONG_TEST_CLOCK: 'on' }],
	]) {
		const r = await runCli(['serve', '--db', h.dbUrl, '--listen', '127.0.0.1:0', ...args],
			{ env });
		assert.notEqual(r.status, 0, `serve started: ${JSON.stringify(args)} ${JSON.stringify(env)}`);
		assert.match(r.stderr, /--test-clock/);
		assert.match(r.stderr, /FANGKONG_TEST_MODE=1/);
	}
	const help = await runCli(['serve', '--help']);
	assert.equal(help.status, 0, help.stderr);
	assert.match(help.stdout, /--test-clock/);
	assert.match(help.stdout, /FANGKONG_TEST_MODE=1/);
});

/* job_runs rows of job in the PostgreSQL store. */
function pgRows(job, due) {
	const sql = `SELECT count(*) FROM job_runs WHERE name = '${job}'` +
		(due === undefined ? '' : ` AND due = ${due}`);
	return Number(execFileSync('psql', [h.dbUrl, '-At', '-c', sql]).toString().trim());
}

h.test('on PostgreSQL two servers on one database, both clocks past the due times: each job runs once',
	{ skip: storeKind() !== 'postgres' && 'PostgreSQL only' }, async () => {
		/* Sessions of 720 minutes again, before the second server starts: a purge run by one
		 * server's moved clock must not end the session the other is being moved with. */
		const r = await (await freshAdmin()).req('PUT', '/api/v1/policies', {
			json: { values: { 'users.session_minutes': 720 }, reason: 'long sessions again' },
		});
		assert.equal(r.status, 200, r.what);
		const other = await startServer(h.dbUrl, { testClock: true });
		try {
			const servers = [h.base, other.base];
			const before = await jobsOf(await freshAdmin());
			const dues = [PURGE, KEYS].map((j) => Date.parse(before[j].next_due));
			const target = Math.max(...dues) + 1000;
			const m0 = await Promise.all(servers.map((b) => metrics(b)));
			const admins = await Promise.all(servers.map((b) => freshAdmin(b)));
			await Promise.all(admins.map((a) => moveClock(a, { set: new Date(target).toISOString() })));
			for (const b of servers)
				for (const job of [PURGE, KEYS]) await checkedSince(b, job, target - 500);
			/* A server that passed a job over may report its check while the other is still
			 * running it: the run is over once the store has recorded it (counted first). */
			await waitFor(async () => {
				const now = await jobsOf(await freshAdmin());
				return [PURGE, KEYS].every((j) => now[j].runs > before[j].runs);
			}, 'both jobs recorded as run');
			const m1 = await Promise.all(servers.map((b) => metrics(b)));
			const after = await jobsOf(await freshAdmin());
			[PURGE, KEYS].forEach((job, i) => {
				const ran = m1.reduce((n, t, k) => n + runsOf(t, job) - runsOf(m0[k], job), 0);
				assert.equal(ran, 1, `${job} ran ${ran} times on two servers`);
				assert.equal(after[job].runs, before[job].runs + 1, JSON.stringify(after[job]));
				assert.equal(pgRows(job, dues[i]), 1, `${job}: job_runs rows for its due time`);
				assert.equal(pgRows(job), after[job].runs, `${job}: job_runs rows in all`);
			});
		} finally {
			await other.stop();
		}
	});

h.shutdownTest();
