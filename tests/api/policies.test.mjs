// policies: the numbers SPEC marks *policy*, read by every role and edited by the admin —
// definitions with labels and defaults, version 0 on a fresh store, an edit that makes a new
// version with who/when/why/what, bad edits refused naming the field with nothing changed,
// history paged, and decisions that follow the new values and name the version (a round's
// pool size and targets, the plan's rules, the lockout).
import assert from 'node:assert/strict';
import { harness, assertError, areaByCode } from './lib/harness.mjs';

const h = harness('policies');
const HOUR = 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString();
const ROLES = ['admin', 'commander', 'community1', 'grid1', 'building1', 'registrar1', 'lab1',
	'volunteer1', 'resident1'];

let admin;
let c1;

const put = (client, json) => client.req('PUT', '/api/v1/policies', { json });
const value = (list, key) => list.items.find((p) => p.key === key).value;

async function current(client = admin) {
	return client.ok('/api/v1/policies');
}

h.test('setup', async () => {
	admin = await h.login('admin');
	c1 = await areaByCode(admin, '370212001001');
});

h.test('every role reads the definitions and the current values; a fresh store is version 0', async () => {
	for (const u of ROLES) {
		const c = await h.login(u);
		const p = await current(c);
		assert.equal(p.version, 0, u);
		const pools = p.items.find((x) => x.key === 'testing.pool_sizes');
		assert.deepEqual(pools.value, [1, 5, 10, 20], u);
		assert.deepEqual(pools.default, [1, 5, 10, 20], u);
		assert.deepEqual(pools.choices, [1, 5, 10, 20], u);
		assert.equal(pools.module, 'testing');
		assert.equal(pools.type, 'int_list');
		assert.ok(pools.label_zh && pools.label_en && pools.help_zh && pools.help_en);
	}
	const p = await current();
	const want = {
		'testing.pool_default': 10, 'testing.round_target_hours': 24,
		'testing.sampling_target_hours': 6, 'testing.sampling_hard_target_hours': 12,
		'testing.site_people_min': 2000, 'testing.site_people_max': 3000,
		'testing.desk_people_min': 600, 'testing.desk_people_max': 800,
		'testing.sampler_people': 360, 'area.grid_residents_max': 2500,
		'area.grid_households_min': 300, 'area.grid_households_max': 500,
		'area.rural_grid_households': 300, 'users.lock_after': 5, 'users.lock_minutes': 15,
		'users.lock_window_minutes': 60, 'users.name_lock_after': 50,
		'users.session_minutes': 720, 'gates.fever_celsius': 37.3,
		'zones.high_to_medium_days': 7, 'zones.medium_after_high_days': 3,
		'zones.medium_to_low_days': 7, 'zones.high_to_low_days': 5,
		'health.report_morning': '08:00', 'health.report_evening': '20:00',
		'health.fever_celsius': 37.3, 'health.report_grace_hours': 4,
		'requests.medical_urgent_minutes': 30, 'requests.medicine_hours': 4,
		'requests.supplies_hours': 24,
	};
	for (const [k, v] of Object.entries(want)) assert.deepEqual(value(p, k), v, k);
	assert.deepEqual(value(p, 'isolation.close_contact').test_days, [1, 2, 3, 5, 7]);
	assert.deepEqual(value(p, 'isolation.close_contact').home_test_days, [3]);
	assert.deepEqual(value(p, 'isolation.secondary_contact').test_days, [1, 4, 7]);
	assert.deepEqual(Object.keys(value(p, 'zones.kinds')), ['high', 'medium', 'low']);
	const round = p.items.find((x) => x.key === 'testing.round_target_hours');
	assert.equal(round.unit, 'hours');
	assert.equal(round.type, 'duration');
	assert.equal(p.items.find((x) => x.key === 'health.report_morning').type, 'time');
	// keys are unique
	assert.equal(new Set(p.items.map((x) => x.key)).size, p.items.length);
});

h.test('only the admin edits and reads the history', async () => {
	for (const u of ROLES.filter((x) => x !== 'admin')) {
		const c = await h.login(u);
		const r = await put(c, { values: { 'testing.pool_default': 5 }, reason: 'x' });
		assertError(r, 403);
		assertError(await c.get('/api/v1/policies/history'), 403);
	}
	assertError(await h.anon().get('/api/v1/policies'), 401);
	assert.equal((await current()).version, 0);
});

const BAD = [
	[{ 'testing.pool_sizes': [0, 5, 10] }, 400, 'testing.pool_sizes'],
	[{ 'testing.pool_sizes': [1, 3, 10] }, 400, 'testing.pool_sizes'],
	[{ 'testing.pool_sizes': [10, 5] }, 400, 'testing.pool_sizes'],
	[{ 'testing.pool_sizes': [] }, 400, 'testing.pool_sizes'],
	[{ 'testing.pool_default': 0 }, 400, 'testing.pool_default'],
	[{ 'testing.pool_sizes': [1, 5, 10] }, 422, 'testing.pool_by_group'],
	[{ 'testing.pool_sizes': [1, 10, 20], 'testing.pool_default': 5 }, 422, 'testing.pool_default'],
	[{ 'testing.pool_by_group': { isolation_site: 1 } }, 400, 'testing.pool_by_group'],
	[{ 'zones.high_to_medium_days': -1 }, 400, 'zones.high_to_medium_days'],
	[{ 'zones.medium_to_low_days': 1.5 }, 400, 'zones.medium_to_low_days'],
	[{ 'health.report_morning': '25:00' }, 400, 'health.report_morning'],
	[{ 'health.report_evening': '7pm' }, 400, 'health.report_evening'],
	[{ 'health.report_morning': '21:00' }, 422, 'health.report_evening'],
	[{ 'testing.sampling_target_hours': 30 }, 422, 'testing.sampling_target_hours'],
	[{ 'testing.site_people_min': 4000 }, 422, 'testing.site_people_min'],
	[{ 'gates.fever_celsius': '37.3' }, 400, 'gates.fever_celsius'],
	[{ 'isolation.close_contact': { centralised_days: 7, home_isolation_days: 0,
		home_monitoring_days: 3, test_days: [1, 2, 9], home_test_days: [3] } }, 422,
	'isolation.close_contact'],
	[{ 'no.such_policy': 1 }, 400, 'no.such_policy'],
];

h.test('bad edits are refused naming the field, and nothing changes', async () => {
	const before = await current();
	for (const [values, status, field] of BAD) {
		const r = await put(admin, { values, reason: '测试' });
		assertError(r, status, { field });
	}
	assertError(await put(admin, { values: { 'testing.pool_default': 5 } }), 400,
		{ field: 'reason' });
	assertError(await put(admin, { values: { 'testing.pool_default': 5 }, reason: '  ' }), 400,
		{ field: 'reason', code: 'missing_reason' });
	assertError(await put(admin, { values: {}, reason: 'r' }), 400, { field: 'values' });
	assertError(await put(admin, { values: { 'testing.pool_default': 10 }, reason: 'r' }), 422,
		{ field: 'values', code: 'no_change' });
	// one bad value among good ones: none of them is kept
	assertError(await put(admin, {
		values: { 'testing.pool_default': 5, 'health.report_morning': '25:00' }, reason: 'r',
	}), 400, { field: 'health.report_morning' });
	const after = await current();
	assert.deepEqual(after, before);
	assert.equal((await admin.ok('/api/v1/policies/history')).items.length, 0);
});

h.test('an edit makes a new version with who, when, why and what changed', async () => {
	const r = await put(admin, {
		values: { 'testing.pool_default': 5, 'testing.round_target_hours': 48,
			'zones.high_to_medium_days': 0 },
		reason: '按新指南调整', base_version: 0,
	});
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.version, 1);
	assert.equal(value(r.json, 'testing.pool_default'), 5);
	const p = await current(await h.login('grid1'));
	assert.equal(p.version, 1);
	assert.equal(value(p, 'testing.round_target_hours'), 48);
	const hist = await admin.ok('/api/v1/policies/history');
	assert.equal(hist.items.length, 1);
	const v = hist.items[0];
	assert.equal(v.version, 1);
	assert.equal(v.reason, '按新指南调整');
	assert.equal(v.changed_by.username, 'admin');
	assert.equal(v.changed_by.id, admin.me.id);
	assert.ok(Math.abs(Date.parse(v.changed_at) - Date.now()) < 60000);
	assert.deepEqual(v.changes, {
		'testing.pool_default': { from: 10, to: 5 },
		'testing.round_target_hours': { from: 24, to: 48 },
		'zones.high_to_medium_days': { from: 7, to: 0 },
	});
	// an editor who saw an older version is told so
	assertError(await put(admin, { values: { 'testing.pool_default': 20 }, reason: 'r',
		base_version: 0 }), 409, { code: 'policy_changed' });
	// the audit trail has it
	const audit = await admin.ok('/api/v1/audit', { query: { action: 'policy.update' } });
	assert.ok(audit.items.some((e) => e.action === 'policy.update'), JSON.stringify(audit));
});

h.test('history is paged newest first', async () => {
	for (const k of [20, 10]) {
		const r = await put(admin, { values: { 'testing.pool_default': k }, reason: `to ${k}` });
		assert.equal(r.status, 200, r.what);
	}
	const p1 = await admin.ok('/api/v1/policies/history', { query: { limit: 2 } });
	assert.deepEqual(p1.items.map((v) => v.version), [3, 2]);
	assert.equal(p1.next_before, 2);
	const p2 = await admin.ok('/api/v1/policies/history', { query: { limit: 2, before: 2 } });
	assert.deepEqual(p2.items.map((v) => v.version), [1]);
	assert.equal(p2.next_before, null);
	assertError(await admin.get('/api/v1/policies/history', { query: { limit: 0 } }), 400,
		{ field: 'limit' });
});

h.test('a round follows the new pool size and targets and names the version', async () => {
	let r = await put(admin, { values: { 'testing.pool_default': 5, 'testing.pool_sizes': [1, 5, 10, 20] }, reason: '5 混 1' });
	assert.equal(r.status, 200, r.what);
	const ver = r.json.version;
	const commander = await h.login('commander');
	const now = Date.now();
	r = await commander.post('/api/v1/rounds', {
		name: '策略轮次', area_ids: [c1.id], starts_at: iso(now), deadline_at: iso(now + 30 * HOUR),
	});
	assert.ok(r.status === 201 || r.status === 200, r.what);
	const round = r.json;
	assert.equal(round.pool_size, 5);
	assert.equal(round.policy.version, ver);
	assert.equal(round.policy.opened_version, null);
	assert.equal(round.deadline.targets.round_hours, 48);
	// 30 h is within the 48 h target of this version: no note
	assert.ok(!round.deadline.notes.some((n) => n.code === 'deadline_beyond_target'));
	// a size the policy no longer allows is refused, naming the version
	r = await put(admin, { values: { 'testing.pool_sizes': [1, 5, 10],
		'testing.pool_by_group': { isolation_site: 1, key_group: 1, sealed: 1, controlled: 10,
			precaution: 10, elsewhere: 10 } }, reason: '暂停 20 混 1' });
	assert.equal(r.status, 200, r.what);
	const ver2 = r.json.version;
	r = await commander.post('/api/v1/rounds', {
		name: '二十混一', area_ids: [c1.id], deadline_at: iso(Date.now() + 10 * HOUR), pool_size: 20,
	});
	assertError(r, 400, { field: 'pool_size', code: 'invalid_pool_size' });
	assert.match(r.error.message_en, new RegExp(`version ${ver2}`));
	// opening stamps the version then in force; the targets stay the round's own afterwards
	r = await put(admin, { values: { 'testing.round_target_hours': 24 }, reason: '恢复 24 小时' });
	const ver3 = r.json.version;
	r = await commander.post(`/api/v1/rounds/${round.id}/open`);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.policy.version, ver);
	assert.equal(r.json.policy.opened_version, ver3);
	assert.equal(r.json.deadline.targets.round_hours, 24);
	r = await put(admin, { values: { 'testing.round_target_hours': 72 }, reason: '72' });
	assert.equal(r.status, 200, r.what);
	const again = await commander.ok(`/api/v1/rounds/${round.id}`);
	assert.equal(again.deadline.targets.round_hours, 24);
	assert.equal(again.policy.opened_version, ver3);
});

h.test('the round plan reads the planning rules of the current version', async () => {
	const commander = await h.login('commander');
	const rounds = await commander.ok('/api/v1/rounds');
	const id = rounds.items[0].id;
	let plan = await commander.ok(`/api/v1/rounds/${id}/plan`);
	assert.equal(plan.rules.site_people_max, 3000);
	const people = plan.totals.population;
	assert.ok(people > 0);
	const r = await put(admin, { values: { 'testing.site_people_min': 100,
		'testing.site_people_max': 100, 'testing.sampler_people': 10 }, reason: '细化' });
	assert.equal(r.status, 200, r.what);
	plan = await commander.ok(`/api/v1/rounds/${id}/plan`);
	assert.equal(plan.rules.policy_version, r.json.version);
	assert.equal(plan.totals.sites_needed, Math.ceil(people / 100));
	assert.equal(plan.totals.samplers_needed, Math.ceil(people / 10));
});

h.test('the lockout follows the policy', async () => {
	let r = await put(admin, { values: { 'users.lock_after': 2 }, reason: '收紧' });
	assert.equal(r.status, 200, r.what);
	const c = h.anon();
	r = await c.login('building1', 'wrong-password-1');
	assertError(r, 401);
	r = await c.login('building1', 'wrong-password-2');
	assertError(r, 401);
	r = await c.login('building1');
	assertError(r, 429, { code: 'locked' });
});

h.test('the grid warning follows the policy', async () => {
	const g = await areaByCode(admin, '370212001001G01');
	let a = await admin.ok(`/api/v1/areas/${g.id}`);
	assert.ok(!a.warnings.some((w) => w.code === 'grid_too_large'));
	const most = a.residents_count - 1;
	assert.ok(most >= 1, `grid too small for the test: ${a.residents_count}`);
	const r = await put(admin, { values: { 'area.grid_residents_max': most }, reason: '测试' });
	assert.equal(r.status, 200, r.what);
	a = await admin.ok(`/api/v1/areas/${g.id}`);
	assert.ok(a.warnings.some((w) => w.code === 'grid_too_large'), JSON.stringify(a.warnings));
});

h.shutdownTest();
