// settings: the settings every process reads come from one table (serve's), as flags or
// FANGKONG_* variables: the node number goes into the ids a server makes, the login rate
// throttles logins per address, and a bad value stops any command naming how it was given.
import assert from 'node:assert/strict';
import { harness, Client, runCli, startServer, areaByCode, PASSWORD } from './lib/harness.mjs';

const h = harness('settings');

/* The node bits of an id: 41 bits of ms | 10 bits node | 12 bits sequence. */
function nodeOf(id) {
	return Number((BigInt(id) >> 12n) & 1023n);
}

h.test('--node puts the node number into every id the server makes', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--node', '517'] });
	try {
		const admin = new Client(srv.base, 'admin');
		assert.equal((await admin.login('admin', PASSWORD)).status, 200);
		const district = await areaByCode(admin, '370212');
		const r = await admin.post('/api/v1/areas', {
			parent_id: district.id, kind: 'street', name: '设置街道', code: '370212099',
		});
		assert.equal(r.status, 201, r.what);
		assert.equal(nodeOf(r.json.id), 517, `id ${r.json.id}`);
	} finally {
		await srv.stop();
	}
});

h.test('--login-rate throttles logins per address at the rate given', async () => {
	const srv = await startServer(h.dbUrl, { args: ['--login-rate', '3'] });
	try {
		const seen = [];
		for (let i = 0; i < 4; i++)
			seen.push((await new Client(srv.base).login(`nobody${i}`, 'Wrong-pass-1')).status);
		assert.deepEqual(seen.slice(0, 3), [401, 401, 401]);
		assert.equal(seen[3], 429, `statuses ${seen}`);
	} finally {
		await srv.stop();
	}
});

h.test('a bad setting stops serve, and any command for the shared ones, naming it', async () => {
	const serveArgs = ['serve', '--db', h.dbUrl, '--listen', '127.0.0.1:0'];
	for (const [args, env, named] of [
		[[...serveArgs, '--node', '1024'], {}, /--node 1024/],
		[[...serveArgs, '--login-rate', '0'], {}, /--login-rate 0/],
		[serveArgs, { FANGKONG_NODE: 'x' }, /FANGKONG_NODE=x/],
		[['migrate', '--status', '--db', h.dbUrl], { FANGKONG_NODE: '2000' }, /FANGKONG_NODE=2000/],
		[['version'], { FANGKONG_LOG_LEVEL: 'loud' }, /FANGKONG_LOG_LEVEL=loud/],
	]) {
		const r = await runCli(args, { env });
		assert.notEqual(r.status, 0, `${args.join(' ')} ${JSON.stringify(env)} ran`);
		assert.match(r.stderr, named);
	}
	const ok = await runCli(['migrate', '--status', '--db', h.dbUrl], { env: { FANGKONG_NODE: '7' } });
	assert.equal(ok.status, 0, ok.stderr);
	const help = await runCli(['serve', '--help']);
	for (const flag of [/--node N\s+FANGKONG_NODE/, /--login-rate N\s+FANGKONG_LOGIN_RATE/])
		assert.match(help.stdout, flag);
});

h.shutdownTest();
