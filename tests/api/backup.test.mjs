// backup: the backup-and-restore drill on the store the harness made. A server keeps creating
// residents while `fangkong backup` runs; the copy holds one moment (the residents written
// before it began, none written after it ended, and a run of the ones in between with no gap);
// it restores into a fresh store whose tables have the manifest's counts and checksums, and a
// server started on it answers as the source did at that moment (people, an area's residents,
// a round's coverage). A store that holds data is refused without --force; a damaged backup,
// a backup of the other kind of store and a missing pg_dump are refused with a clear message,
// and the target is left as it was.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	harness, runCli, createStore, startServer, storeKind, areaByCode, allPeople, assertCreated,
	newPerson, noSanitizerReport, Client, PASSWORD, RESIDENTS,
} from './lib/harness.mjs';

// The drill writes as fast as one client can; the write limits are hardening.test's.
const h = harness('backup', { args: ['--write-rate', '0', '--write-rate-ip', '0'] });
const HOUR = 3600 * 1000;
const PREFIX = '备份';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-backup-'));
const file = path.join(tmp, storeKind() === 'postgres' ? 'store.dump' : 'store.db.bak');
const stores = [];

let c1, b01, round, manifest, restored, restoredSrv;
let written = []; // names of the residents acknowledged, in order
let beforeBackup, afterBackup; // how many were acknowledged when the backup began / ended

const readManifest = (f) => JSON.parse(fs.readFileSync(`${f}.manifest.json`, 'utf8'));
const table = (tables, name) => tables.find((t) => t.name === name);

async function cli(args) {
	const r = await runCli(args);
	noSanitizerReport(r.stderr, `fangkong ${args[0]}`);
	return r;
}

function newStore(label) {
	const s = createStore(label, tmp);
	stores.push(s);
	return s.url;
}

/* Row counts and checksums of every table of the store at url, read by backing it up. */
async function digest(url, label) {
	const out = path.join(tmp, label);
	const r = await cli(['backup', '--db', url, '--out', out]);
	assert.equal(r.status, 0, `backup of ${url}: ${r.stderr}`);
	return readManifest(out).tables;
}

async function coverage(client, id) {
	return (await client.ok(`/api/v1/rounds/${id}/coverage`)).totals;
}

h.test('setup: an open round over community 1', async () => {
	const cmd = await h.login('commander');
	c1 = await areaByCode(cmd, '370212001001');
	b01 = await areaByCode(cmd, '370212001001G01B01');
	const now = Date.now();
	round = assertCreated(await cmd.post('/api/v1/rounds', {
		name: '备份演练轮次', area_ids: [c1.id], starts_at: new Date(now).toISOString(),
		deadline_at: new Date(now + 24 * HOUR).toISOString(),
	}));
	assert.equal((await cmd.post(`/api/v1/rounds/${round.id}/open`)).status, 200);
});

h.test('a backup taken while the server writes holds one moment of the store', async () => {
	const admin = await h.login('admin');
	let stop = false;
	let done = false;
	const writer = (async () => {
		for (let seq = 1; !stop && seq < 999; seq++) {
			const name = `${PREFIX}${seq}`;
			await newPerson(admin, b01.id, seq, { name, birth: '19900101' });
			written.push(name);
		}
	})().finally(() => (done = true));
	const acked = (n) => new Promise((resolve) => {
		const t = setInterval(() => (written.length >= n || done) && (clearInterval(t), resolve()), 5);
	});
	await acked(3);
	beforeBackup = written.length;
	const r = await cli(['backup', '--db', h.dbUrl, '--out', file]);
	afterBackup = written.length;
	await acked(afterBackup + 3); // and the server goes on writing after it
	stop = true;
	await writer;
	assert.equal(r.status, 0, `fangkong backup: ${r.stderr}`);
	assert.match(r.stdout, /\d+ bytes, (sqlite|postgres) store, \d+ tables, \d+ rows \(people \d+/);

	manifest = readManifest(file);
	assert.equal(manifest.store, storeKind());
	assert.equal(manifest.bytes, fs.statSync(file).size);
	assert.ok(manifest.schema.people >= 1 && manifest.schema.testing >= 1, JSON.stringify(manifest.schema));
	const people = table(manifest.tables, 'people').rows;
	const inBackup = people - RESIDENTS;
	assert.ok(inBackup >= beforeBackup && inBackup <= afterBackup,
		`the backup holds ${inBackup} of the residents written; ${beforeBackup} were acknowledged ` +
		`when it began, ${afterBackup} when it ended`);
	assert.ok(written.length > inBackup, 'writes went on after the backup');
	console.log(`# backup of ${storeKind()}: ${manifest.bytes} bytes, ${manifest.tables.length} ` +
		`tables, ${people} people (${beforeBackup}..${afterBackup} writes acknowledged during it, ` +
		`${inBackup} in it, ${written.length} in all)`);
});

h.test('the backup restores into a fresh store with the same counts and checksums', async () => {
	restored = newStore('backup_restored');
	const r = await cli(['restore', '--db', restored, '--from', file]);
	assert.equal(r.status, 0, `fangkong restore: ${r.stderr}`);
	assert.match(r.stdout, /counts and checksums match the manifest/);
	// Read back independently of restore's own check: every table, rows and checksum.
	const again = await digest(restored, 'restored.check');
	assert.deepEqual(again, manifest.tables);
	// The audit log's hash chain came across whole.
	const v = await cli(['audit', 'verify', '--db', restored]);
	assert.equal(v.status, 0, `audit verify on the restored store: ${v.stdout}${v.stderr}`);
	const source = await digest(h.dbUrl, 'source.now');
	assert.notDeepEqual(table(source, 'people'), table(manifest.tables, 'people'),
		'the source has moved on since the backup');
});

h.test('a server on the restored store answers as the source did at the backup', async () => {
	restoredSrv = await startServer(restored);
	try {
		await compareReads();
	} finally {
		await restoredSrv.stop();
	}
});

async function compareReads() {
	const admin = new Client(restoredSrv.base, 'admin');
	assert.equal((await admin.login('admin', PASSWORD)).status, 200);
	const source = await h.login('admin');
	const inBackup = table(manifest.tables, 'people').rows - RESIDENTS;

	// The residents written: exactly the first inBackup, in the order acknowledged.
	const mine = (await allPeople(admin, { area_id: b01.id }, 500))
		.filter((p) => p.name.startsWith(PREFIX)).map((p) => p.name);
	assert.deepEqual(mine.sort(), written.slice(0, inBackup).sort());
	const root = (await admin.ok('/api/v1/areas')).items.find((a) => a.kind === 'district');
	assert.equal((await admin.ok(`/api/v1/areas/${root.id}`)).residents_count,
		table(manifest.tables, 'people').rows);
	// What the source says now, less the residents written after the backup.
	const later = written.length - inBackup;
	assert.equal((await allPeople(admin, { area_id: b01.id }, 500)).length,
		(await allPeople(source, { area_id: b01.id }, 500)).length - later);
	const cov = await coverage(admin, round.id);
	const covNow = await coverage(source, round.id);
	// A round's figures are fixed when it opens (before the backup): the same on both.
	assert.ok(cov.expected > 0, JSON.stringify(cov));
	assert.deepEqual(cov, covNow);
}

h.test('restore refuses a store a server serves, --force or not, and one with data without --force', async () => {
	// The source's server runs its jobs meanwhile: compare the tables no job writes.
	const core = (tables) => tables.filter((t) => ['areas', 'people', 'users'].includes(t.name));
	const before = core(await digest(h.dbUrl, 'source.before'));
	let r = await cli(['restore', '--db', h.dbUrl, '--from', file, '--force']);
	assert.equal(r.status, 1, r.stdout);
	assert.match(r.stderr, /a server is serving this store.*stop it first: nothing was restored/);
	assert.equal(before.length, 3);
	assert.deepEqual(core(await digest(h.dbUrl, 'source.after')), before);
	// The restored store, its server stopped: it holds data.
	const held = await digest(restored, 'restored.held');
	r = await cli(['restore', '--db', restored, '--from', file]);
	assert.equal(r.status, 1, r.stdout);
	assert.match(r.stderr, /holds data \(table \w+ has \d+ rows\).*--force/);
	assert.deepEqual(await digest(restored, 'restored.held2'), held);
});

/* A copy of the backup with its manifest, changed by edit(bytes) and made to agree with it. */
function damaged(label, edit) {
	const out = path.join(tmp, label);
	const bytes = edit(fs.readFileSync(file));
	fs.writeFileSync(out, bytes);
	const m = { ...manifest, bytes: bytes.length };
	m.blake2b = execFileSync('b2sum', ['-l', '256', out], { encoding: 'utf8' }).split(' ')[0];
	fs.writeFileSync(`${out}.manifest.json`, JSON.stringify(m));
	return out;
}

h.test('a damaged backup is refused and the target is left as it was', async () => {
	const before = await digest(restored, 'restored.before');
	// Bytes changed after the backup: the file no longer matches its manifest.
	const flipped = path.join(tmp, 'flipped');
	const bytes = fs.readFileSync(file);
	bytes.fill(0x55, bytes.length >> 1, (bytes.length >> 1) + 64);
	fs.writeFileSync(flipped, bytes);
	fs.copyFileSync(`${file}.manifest.json`, `${flipped}.manifest.json`);
	let r = await cli(['restore', '--db', restored, '--from', flipped, '--force']);
	assert.equal(r.status, 1, r.stdout);
	assert.match(r.stderr, /flipped: \d+ bytes and a checksum unlike its manifest's.*damaged.*nothing was restored/);
	// A file cut short whose manifest was made to match: the store's own check refuses it.
	const cut = damaged('cut', (b) => b.subarray(0, b.length >> 1));
	r = await cli(['restore', '--db', restored, '--from', cut, '--force']);
	assert.equal(r.status, 1, r.stdout);
	assert.match(r.stderr, storeKind() === 'postgres' ? /pg_restore failed \(exit status 1\): .*nothing was changed/s
		: /cut.*(not a sound SQLite database|fails its integrity check)/);
	// No manifest, another kind of store, a missing file.
	fs.rmSync(`${flipped}.manifest.json`);
	r = await cli(['restore', '--db', restored, '--from', flipped, '--force']);
	assert.match(r.stderr, /flipped\.manifest\.json: No such file/);
	const other = storeKind() === 'postgres' ? 'sqlite' : 'postgres';
	const kind = damaged('other_kind', (b) => b);
	const m = readManifest(kind);
	fs.writeFileSync(`${kind}.manifest.json`, JSON.stringify({ ...m, store: other }));
	r = await cli(['restore', '--db', restored, '--from', kind, '--force']);
	assert.match(r.stderr, new RegExp(`is a backup of a ${other} store and --db .* names a ${storeKind()} store`));
	r = await cli(['restore', '--db', restored, '--from', path.join(tmp, 'nothing'), '--force']);
	assert.match(r.stderr, /--from .*nothing: No such file/);
	assert.deepEqual(await digest(restored, 'restored.after'), before);
});

h.test('backup names what is missing (the store, pg_dump) and will not write over the store', async () => {
	if (storeKind() === 'postgres') {
		const r = await cli(['backup', '--db', h.dbUrl, '--out', path.join(tmp, 'x'), '--pg-bin', tmp]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /pg_dump: not found or not executable \(--pg-bin/);
	} else {
		const r = await cli(['backup', '--db', path.join(tmp, 'none.db'), '--out', path.join(tmp, 'x')]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /none\.db: No such file or directory \(no SQLite store there\)/);
		assert.ok(!fs.existsSync(path.join(tmp, 'none.db')), 'no store made');
		const self = await cli(['backup', '--db', h.dbUrl, '--out', h.dbUrl]);
		assert.equal(self.status, 1);
		assert.match(self.stderr, /--out .* is the store itself/);
	}
	assert.ok(!fs.existsSync(path.join(tmp, 'x')));
});

h.test('cleanup: the stores made here', () => {
	for (const s of stores) s.drop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

h.shutdownTest();
