// audit_chain: the audit log's hash chain through a real server and the CLI, on the store
// FK_STORE names. Audited actions through the API; `fangkong audit seal` and the audit.seal
// job (moved by the test clock) seal them; `fangkong audit verify` says the chain is whole,
// then, after a row's detail, the head and a row are each changed in SQL, exits 1 naming the
// seq, the audit id and the kind of break.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { harness, storeKind, allPeople, waitFor } from './lib/harness.mjs';

const h = harness('audit_chain', { testClock: true });

/* One SQL statement on the server's store; the first column of the first row as text. */
function sql(text) {
	const out = storeKind() === 'postgres'
		? execFileSync('psql', [h.dbUrl, '-v', 'ON_ERROR_STOP=1', '-At', '-c', text])
		: execFileSync('sqlite3', ['-cmd', '.timeout 10000', h.dbUrl, text]);
	return out.toString().trim().split('\n')[0];
}

const cli = (...args) => h.cli(['audit', ...args, '--db', h.dbUrl]);

async function verifyWhole() {
	const v = await cli('verify');
	assert.equal(v.status, 0, v.stdout + v.stderr);
	assert.match(v.stdout, /the chain is whole; head seq \d+ hash [0-9a-f]{64}/);
	return v.stdout;
}

async function verifyBroken(re) {
	const v = await cli('verify');
	assert.equal(v.status, 1, v.stdout + v.stderr);
	assert.match(v.stderr, re);
}

async function readSomePeople(n) {
	const admin = await h.login('admin');
	const people = (await allPeople(admin, {}, 20)).slice(0, n);
	assert.equal(people.length, n);
	for (const p of people)
		assert.equal((await admin.get(`/api/v1/people/${p.id}`)).status, 200);
}

h.test('fangkong audit seal seals the rows of audited reads; verify finds the chain whole', async () => {
	await readSomePeople(5);
	const unsealed = Number(sql('SELECT COUNT(*) FROM audit WHERE seal_seq IS NULL'));
	assert.ok(unsealed >= 5, `unsealed rows: ${unsealed}`);
	const before = await cli('verify');
	assert.equal(before.status, 0, before.stderr);
	assert.match(before.stdout, new RegExp(`; ${unsealed} not sealed yet`));
	const s = await cli('seal');
	assert.equal(s.status, 0, s.stderr);
	assert.match(s.stdout, new RegExp(`^sealed ${unsealed} rows; head seq ${unsealed} hash [0-9a-f]{64}`));
	const out = await verifyWhole();
	assert.match(out, new RegExp(`verified ${unsealed} rows \\(seq 1 to ${unsealed}\\); 0 not sealed`));
});

h.test('the audit.seal job seals new rows within its minute, and logs the head', async () => {
	await readSomePeople(3);
	assert.ok(Number(sql('SELECT COUNT(*) FROM audit WHERE seal_seq IS NULL')) >= 3);
	const admin = await h.login('admin');
	await h.moveClock(admin, { advance: 'PT2M' });
	await waitFor(() => sql('SELECT COUNT(*) FROM audit WHERE seal_seq IS NULL') === '0',
		'the audit.seal job to seal the new rows');
	await waitFor(() => /event=audit_sealed count=\d+ head_seq=\d+ head_hash=[0-9a-f]{64}/.test(h.stderr),
		'the job\'s log line with the head');
	await verifyWhole();
});

h.test('a changed detail is found: exit 1 naming the seq and the audit id', async () => {
	const id = sql('SELECT id FROM audit WHERE seal_seq = 2');
	const detail = sql('SELECT detail FROM audit WHERE seal_seq = 2');
	sql(`UPDATE audit SET detail = '{"forged":true}' WHERE seal_seq = 2`);
	await verifyBroken(new RegExp(`audit chain broken at seq 2 \\(audit id ${id}\\): changed row`));
	sql(`UPDATE audit SET detail = '${detail.replace(/'/g, "''")}' WHERE seal_seq = 2`);
	await verifyWhole();
});

h.test('a changed head is found', async () => {
	const hash = sql('SELECT last_hash FROM audit_seal WHERE id = 1');
	const seq = sql('SELECT last_seq FROM audit_seal WHERE id = 1');
	const id = sql(`SELECT id FROM audit WHERE seal_seq = ${seq}`);
	sql(`UPDATE audit_seal SET last_hash = '${'0'.repeat(64)}' WHERE id = 1`);
	await verifyBroken(new RegExp(`broken at seq ${seq} \\(audit id ${id}\\): head mismatch`));
	sql(`UPDATE audit_seal SET last_hash = '${hash}' WHERE id = 1`);
	await verifyWhole();
});

h.test('a deleted row is found: the missing seq and the id of the row after it', async () => {
	const next = sql('SELECT id FROM audit WHERE seal_seq = 4');
	sql('DELETE FROM audit WHERE seal_seq = 3');
	await verifyBroken(new RegExp(`broken at seq 3 \\(audit id ${next}\\): missing seq`));
});

h.test('fangkong audit with a bad subcommand says how it is used', async () => {
	const r = await h.cli(['audit', 'check', '--db', h.dbUrl]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /unknown audit command 'check'; usage: fangkong audit \{seal\|verify\}/);
});

h.shutdownTest();
