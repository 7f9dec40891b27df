// retention: the daily retention.purge job through a real server with the test clock, on the
// store FK_STORE names. Personal event data made at a first time — calls and a screening
// registration through the API; health reports, gate passes, fever referrals and sent
// messages in SQL — is still there 100 days on and gone 200 days on (the policy
// retention.personal_data_days, 180 by default), while what was made at 100 days stays, an
// open fever referral and a key person's registration stay, and the residents stay.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
	harness, Client, storeKind, waitFor, metricValue, areaByCode, newPerson, makeId, phoneFor,
	assertCreated,
} from './lib/harness.mjs';

const h = harness('retention', { testClock: true });
const DAY = 86_400_000;
const S = {};

function sql(text) {
	const out = storeKind() === 'postgres'
		? execFileSync('psql', [h.dbUrl, '-v', 'ON_ERROR_STOP=1', '-At', '-c', text])
		: execFileSync('sqlite3', ['-cmd', '.timeout 10000', h.dbUrl, text]);
	return out.toString().trim().split('\n')[0];
}

const count = (table, ids) => Number(sql(`SELECT COUNT(*) FROM ${table} WHERE id IN (${ids.join(', ')})`));

function cstDay(ms) {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function fresh(username) {
	const c = new Client(h.base, username);
	const r = await c.login(username);
	assert.equal(r.status, 200, r.what);
	return c;
}

async function purgeRuns() {
	const r = await new Client(h.base).get('/metrics');
	assert.equal(r.status, 200, r.what);
	return metricValue(r.text, 'fk_job_runs_total{job="retention.purge"}');
}

/* Moves the clock by days and waits for the retention job's run that follows. */
async function daysOn(days) {
	const runs = await purgeRuns();
	const now = await h.moveClock(await fresh('admin'), { advance_ms: days * DAY });
	await waitFor(async () => (await purgeRuns()) > runs, 'the retention.purge job to run');
	return now.now_ms;
}

/* Rows of the modules' personal event data at time at, in SQL, with ids from base. */
function sqlRows(base, at, placement) {
	const day = cstDay(at);
	sql(`INSERT INTO health_reports (id, placement_id, person_id, area_path, day, half, temperature,
		symptoms, fever, late, by_user, by_self, reported_at) VALUES (${base}, ${placement},
		${S.person.id}, '/1/', '${day}', 'am', 36.6, '[]', 0, 0, 0, 1, ${at})`);
	sql(`INSERT INTO passes (id, checkpoint_id, area_path, at, direction, subject, name, id_number,
		verdict, policy_version, by_user, created_at) VALUES (${base}, 1, '/1/', ${at}, 'in',
		'visitor', '访客', '110101199001011234', 'passed', 0, 0, ${at})`);
	for (const [k, status] of [[1, 'closed'], [2, 'open']])
		sql(`INSERT INTO fever_referrals (id, pass_id, checkpoint_id, area_path, name, temperature,
			threshold, policy_version, status, opened_at, opened_by) VALUES (${base + k}, ${base},
			1, '/1/', '访客', 38.1, 37.3, 0, '${status}', ${at}, 0)`);
	sql(`INSERT INTO outbox (id, channel, to_phone, purpose, body, status, created_at) VALUES
		(${base}, 'sms', '13800000000', 'test', '您的验证码', 'sent', ${at})`);
	for (const [k, keyPerson] of [[0, 0], [1, 1]])
		sql(`INSERT INTO screening_registrations (id, campaign_id, person_id, area_id, area_path,
			from_place, arrived_day, travel_code, address_detail, key_person, registered_by,
			by_user, matched, created_at) VALUES (${base + k}, ${base + k}, ${S.person.id}, 1,
			'/1/', '北京市', '${day}', 'green', '', ${keyPerson}, 'worker', 0, 'existing', ${at})`);
}

h.test('set up, day 0: a call and a registration through the API, the rest in SQL', async () => {
	const commander = await fresh('commander');
	const b01 = await areaByCode(commander, '370212001001G01B01');
	S.person = await newPerson(commander, b01.id, 951, { name: '留存甲', tags: ['key_person'] });
	const grid1 = await fresh('grid1');
	S.call0 = assertCreated(await grid1.post('/api/v1/calls',
		{ person_id: S.person.id, outcome: 'reached', client_key: `ret-c0-${Date.now()}` })).id;
	const c1 = await fresh('community1');
	const community = await areaByCode(c1, '370212001001');
	const campaign = assertCreated(await c1.post('/api/v1/screening/campaigns',
		{ name: '留存排查', area_id: community.id, criteria: '返回', from_day: cstDay(Date.now()) }));
	S.reg0 = assertCreated(await grid1.post(`/api/v1/screening/campaigns/${campaign.id}/registrations`, {
		name: '返乡乙', id_number: makeId('19900909', 952), phone: phoneFor(952), from_place: '上海市',
		arrived_day: cstDay(Date.now()), travel_code: 'green', area_id: b01.id,
		client_key: `ret-r0-${Date.now()}`,
	}));
	sqlRows(9_000_000_100, Date.now(), 1);
	assert.equal(count('calls', [S.call0]), 1);
	assert.equal(count('screening_registrations', [S.reg0.id]), 1);
});

h.test('100 days on the job runs and keeps everything (inside 180 days)', async () => {
	const now = await daysOn(100);
	assert.equal(count('calls', [S.call0]), 1);
	assert.equal(count('screening_registrations', [S.reg0.id, 9_000_000_100, 9_000_000_101]), 3);
	assert.equal(count('health_reports', [9_000_000_100]), 1);
	assert.equal(count('passes', [9_000_000_100]), 1);
	assert.equal(count('fever_referrals', [9_000_000_101, 9_000_000_102]), 2);
	assert.equal(count('outbox', [9_000_000_100]), 1);
	const grid1 = await fresh('grid1');
	S.call100 = assertCreated(await grid1.post('/api/v1/calls',
		{ person_id: S.person.id, outcome: 'no_answer', client_key: `ret-c1-${Date.now()}` })).id;
	sqlRows(9_000_000_200, now, 2);
});

h.test('200 days on the day-0 data is gone, the day-100 data stays, and so do the residents', async () => {
	await daysOn(100);
	assert.equal(count('calls', [S.call0]), 0, 'the day-0 call');
	assert.equal(count('calls', [S.call100]), 1, 'the day-100 call');
	assert.equal(count('screening_registrations', [S.reg0.id, 9_000_000_100]), 0);
	assert.equal(count('screening_registrations', [9_000_000_101]), 1, 'a key person\'s registration');
	assert.equal(count('screening_registrations', [9_000_000_200, 9_000_000_201]), 2);
	assert.equal(count('health_reports', [9_000_000_100]), 0);
	assert.equal(count('health_reports', [9_000_000_200]), 1);
	assert.equal(count('passes', [9_000_000_100]), 0);
	assert.equal(count('passes', [9_000_000_200]), 1);
	assert.equal(count('fever_referrals', [9_000_000_101]), 0, 'the closed referral');
	assert.equal(count('fever_referrals', [9_000_000_102]), 1, 'the open referral');
	assert.equal(count('fever_referrals', [9_000_000_201, 9_000_000_202]), 2);
	assert.equal(count('outbox', [9_000_000_100]), 0);
	assert.equal(count('outbox', [9_000_000_200]), 1);
	assert.equal(count('people', [S.person.id, S.reg0.person.id]), 2, 'the residents');
	await waitFor(() => /event=retention_purged table=calls count=1\b/.test(h.stderr),
		'the job\'s log line for calls');
});

h.shutdownTest();
