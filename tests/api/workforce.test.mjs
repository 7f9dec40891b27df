// workforce: the people who serve (staff, party members, cadres, volunteers) seen and changed
// in scope, with the bad inputs each naming their field; call-outs with their public sign-up
// link and QR code; the public sign-up (no login, keyed, throttled per address) that makes or
// matches a volunteer by phone and stops at the number wanted (409 callout_full) and once the
// call-out is closed (409 callout_closed), nothing stored then; a coordinator's accept,
// decline (its place free again) and dispatch; batches of cadres; teams with a leader.
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, areaByCode, phoneFor } from './lib/harness.mjs';

const h = harness('workforce', { testClock: true });
const COMMUNITY1 = '370212001001';
const COMMUNITY2 = '370212001002';
const B01 = '370212001001G01B01';
const S = {};

function key(s) {
	return `wf-${s}-${Math.random().toString(36).slice(2, 10)}`;
}

function worker(seq, fields = {}) {
	return { name: `服务${seq}`, phone: phoneFor(900 + seq), kind: 'staff', skills: ['driver'], area_id: S.c1.id, ...fields };
}

async function refill() {
	// The public sign-up is throttled per address: a minute on the test clock refills it.
	await h.moveClock(await h.login('admin'), { advance: 'PT2M' });
}

h.test('set up: community 1 adds people who serve; bad input names its field, nothing stored', async () => {
	const c1 = await h.login('community1');
	S.c1 = await areaByCode(c1, COMMUNITY1);
	S.b01 = await areaByCode(c1, B01);
	S.c2 = await areaByCode(await h.login('commander'), COMMUNITY2);
	const r = await c1.post('/api/v1/workers', worker(1, { kind: 'cadre', organisation: '区财政局', skills: ['driver', 'medical'] }));
	S.w1 = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(S.w1.kind, 'cadre');
	assert.equal(S.w1.organisation, '区财政局');
	assert.deepEqual(S.w1.skills, ['driver', 'medical']);
	assert.equal(S.w1.area_id, S.c1.id);
	assert.ok(S.w1.area_name);
	assert.equal(S.w1.active, true);
	S.w2 = assertCreated(await c1.post('/api/v1/workers', worker(2, { kind: 'party_member', area_id: S.b01.id })));
	const post = (b) => c1.post('/api/v1/workers', b);
	assertError(await post(worker(3, { kind: 'boss' })), 400, { code: 'invalid_kind', field: 'kind' });
	assertError(await post(worker(3, { skills: ['juggler'] })), 400, { code: 'invalid_skill', field: 'skills' });
	assertError(await post(worker(3, { phone: '12' })), 400, { field: 'phone' });
	assertError(await post(worker(3, { name: ' ' })), 400, { field: 'name' });
	assertError(await post(worker(3, { area_id: S.c2.id })), 404, { field: 'area_id' });
	assertError(await post(worker(3, { phone: S.w1.phone.includes('*') ? phoneFor(901) : S.w1.phone })), 409,
		{ code: 'phone_taken', field: 'phone' });
	assertError(await post({ ...worker(3), extra: 1 }), 400, { field: 'extra' });
	const list = (await c1.ok('/api/v1/workers')).items;
	assert.deepEqual(list.map((w) => w.name).sort(), ['服务1', '服务2'], 'nothing bad was stored');
});

h.test('workers are scoped: grid reads inside its grid, another community sees none, grid cannot write', async () => {
	const grid1 = await h.login('grid1');
	const seen = (await grid1.ok('/api/v1/workers')).items.map((w) => w.id);
	assert.deepEqual(seen, [S.w2.id], 'grid 1 sees the worker serving its building, not the community one');
	assertError(await grid1.post('/api/v1/workers', worker(4, { area_id: S.b01.id })), 403);
	const c2 = await h.login('community2');
	assert.deepEqual((await c2.ok('/api/v1/workers')).items, []);
	assertError(await c2.get(`/api/v1/workers/${S.w1.id}`), 404, { code: 'worker_not_found' });
	assertError(await c2.patch(`/api/v1/workers/${S.w1.id}`, { name: '改' }), 404);
	const c1 = await h.login('community1');
	const kind = (await c1.ok('/api/v1/workers', { query: { kind: 'cadre' } })).items;
	assert.deepEqual(kind.map((w) => w.id), [S.w1.id]);
	const skill = (await c1.ok('/api/v1/workers', { query: { skill: 'medical' } })).items;
	assert.deepEqual(skill.map((w) => w.id), [S.w1.id]);
	const zh = await c1.ok('/api/v1/workers', { query: { kind: '干部', skill: '医护' } });
	assert.deepEqual(zh.items.map((w) => w.id), [S.w1.id], 'kind and skill in Chinese');
	assert.equal(zh.truncated, false);
	assertError(await c1.get('/api/v1/workers', { query: { kind: 'pilot' } }), 400, { code: 'invalid_kind', field: 'kind' });
	assertError(await c1.get('/api/v1/workers', { query: { skill: 'medic' } }), 400, { code: 'invalid_skill', field: 'skill' });
	assertError(await c1.get('/api/v1/workers', { query: { skill: '%' } }), 400, { code: 'invalid_skill', field: 'skill' });
	const changed = await c1.patch(`/api/v1/workers/${S.w1.id}`, { skills: ['interpreter'], active: false });
	assert.equal(changed.status, 200, changed.what);
	assert.deepEqual(changed.json.skills, ['interpreter']);
	assert.equal(changed.json.active, false);
	assertError(await c1.patch(`/api/v1/workers/${S.w1.id}`, { kind: 'x' }), 400, { field: 'kind' });
	assert.equal((await c1.ok(`/api/v1/workers/${S.w1.id}`)).kind, 'cadre', 'the refused change left it');
});

h.test('phones are masked for roles that may not see them (community and grid see them, admin not)', async () => {
	const full = await (await h.login('grid1')).ok(`/api/v1/workers/${S.w2.id}`);
	const masked = await (await h.login('admin')).ok(`/api/v1/workers/${S.w2.id}`);
	assert.equal(full.phone, phoneFor(902));
	assert.equal(masked.phone, `${phoneFor(902).slice(0, 3)}****${phoneFor(902).slice(7)}`);
});

h.test('a call-out: its link, QR code, bad input', async () => {
	const c1 = await h.login('community1');
	const body = { title: '核酸采样志愿者', area_id: S.c1.id, skills: ['sampler'], wanted: 2, place_text: '社区广场' };
	const r = await c1.post('/api/v1/callouts', body);
	S.callout = assertCreated(r);
	assert.equal(r.status, 201);
	assert.match(S.callout.token, /^[0-9a-f]{48}$/);
	assert.equal(S.callout.public_url, `/v/${S.callout.token}`);
	assert.equal(S.callout.status, 'open');
	assert.equal(S.callout.wanted, 2);
	assert.equal(S.callout.signed_up, 0);
	const qr = await c1.get(`/api/v1/callouts/${S.callout.id}/qr.svg`);
	assert.equal(qr.status, 200);
	assert.match(qr.headers.get('content-type'), /svg/);
	assert.match(qr.text, /^<\?xml|<svg/);
	assertError(await c1.post('/api/v1/callouts', { ...body, wanted: 0 }), 400, { field: 'wanted' });
	assertError(await c1.post('/api/v1/callouts', { ...body, wanted: -3 }), 400, { field: 'wanted' });
	assertError(await c1.post('/api/v1/callouts', { ...body, skills: ['x'] }), 400, { field: 'skills' });
	assertError(await c1.post('/api/v1/callouts', { ...body, area_id: S.c2.id }), 404, { field: 'area_id' });
	assertError(await c1.post('/api/v1/callouts', { ...body, starts_at: '2026-12-01T10:00:00+08:00', ends_at: '2026-12-01T09:00:00+08:00' }),
		400, { field: 'ends_at' });
	assertError(await (await h.login('grid1')).post('/api/v1/callouts', body), 403);
	assertError(await (await h.login('community2')).get(`/api/v1/callouts/${S.callout.id}`), 404, { code: 'callout_not_found' });
	const items = (await c1.ok('/api/v1/callouts')).items;
	assert.deepEqual(items.map((c) => c.id), [S.callout.id]);
});

h.test('the public sign-up: no login, makes or matches a volunteer by phone, keyed', async () => {
	await refill();
	const anon = h.anon();
	const page = await anon.ok(`/api/v1/public/callouts/${S.callout.token}`);
	assert.equal(page.title, '核酸采样志愿者');
	assert.equal(page.wanted, 2);
	assert.ok(!('token' in page) && !('id' in page) && !('area_id' in page), 'the public view tells only the page');
	assertError(await anon.get(`/api/v1/public/callouts/${'0'.repeat(48)}`), 404, { code: 'callout_not_found' });
	const body = { name: '志愿者甲', phone: phoneFor(950), skills: ['sampler'], client_key: key('a') };
	const r1 = await anon.post(`/api/v1/public/callouts/${S.callout.token}`, body);
	assert.equal(r1.status, 201, r1.what);
	assert.deepEqual(Object.keys(r1.json).sort(), ['id', 'status']);
	const r2 = await h.anon().post(`/api/v1/public/callouts/${S.callout.token}`, body);
	assert.equal(r2.status, 201, 'a retry with the same key is the same reply');
	assert.equal(r2.json.id, r1.json.id);
	// An existing worker signing up is matched by phone, not made again.
	const r3 = await anon.post(`/api/v1/public/callouts/${S.callout.token}`,
		{ name: '服务2', phone: phoneFor(902), client_key: key('b') });
	assert.equal(r3.status, 201, r3.what);
	const c1 = await h.login('community1');
	const signups = (await c1.ok(`/api/v1/callouts/${S.callout.id}/signups`)).items;
	assert.equal(signups.length, 2);
	assert.equal(signups[0].worker.kind, 'volunteer');
	assert.equal(signups[0].worker.name, '志愿者甲');
	assert.equal(signups[1].worker.id, S.w2.id, 'matched by phone');
	S.signups = signups;
	const workers = (await c1.ok('/api/v1/workers', { query: { kind: 'volunteer' } })).items;
	assert.deepEqual(workers.map((w) => w.name), ['志愿者甲'], 'one volunteer made, once');
	assert.equal((await c1.ok(`/api/v1/callouts/${S.callout.id}`)).signed_up, 2);
});

h.test('a sign-up past the number wanted: 409 callout_full, nothing stored', async () => {
	await refill();
	const anon = h.anon();
	const r = await anon.post(`/api/v1/public/callouts/${S.callout.token}`,
		{ name: '志愿者乙', phone: phoneFor(951), client_key: key('c') });
	assertError(r, 409, { code: 'callout_full' });
	const c1 = await h.login('community1');
	assert.equal((await c1.ok(`/api/v1/callouts/${S.callout.id}/signups`)).items.length, 2);
	assert.equal((await c1.ok('/api/v1/workers', { query: { kind: 'volunteer' } })).items.length, 1,
		'no worker made for a refused sign-up');
	assert.equal((await anon.ok(`/api/v1/public/callouts/${S.callout.token}`)).full, true);
});

h.test('bad input on the public sign-up names the field, nothing stored', async () => {
	await refill();
	const c1 = await h.login('community1');
	const decl = await c1.post(`/api/v1/signups/${S.signups[1].id}/decline`, {});
	assert.equal(decl.status, 200, decl.what);
	assert.equal(decl.json.status, 'declined');
	const anon = h.anon();
	const post = (b) => anon.post(`/api/v1/public/callouts/${S.callout.token}`, { name: '丙', phone: phoneFor(952), client_key: key('d'), ...b });
	assertError(await post({ phone: '1' }), 400, { field: 'phone' });
	assertError(await post({ name: '' }), 400, { field: 'name' });
	assertError(await post({ skills: ['juggler'] }), 400, { field: 'skills' });
	assertError(await post({ client_key: undefined }), 400, { field: 'client_key' });
	assert.equal((await c1.ok(`/api/v1/callouts/${S.callout.id}`)).signed_up, 1, 'a declined place is free, nothing else stored');
	const ok = await post({});
	assert.equal(ok.status, 201, 'the declined place is taken again');
});

h.test('accept, decline, dispatch: their order, scope and area', async () => {
	const c1 = await h.login('community1');
	const first = S.signups[0].id;
	assertError(await c1.post(`/api/v1/signups/${first}/dispatch`, { area_id: S.b01.id }), 409, { code: 'invalid_status' });
	const acc = await c1.post(`/api/v1/signups/${first}/accept`, {});
	assert.equal(acc.status, 200, acc.what);
	assert.equal(acc.json.status, 'accepted');
	assertError(await c1.post(`/api/v1/signups/${first}/dispatch`, {}), 400, { field: 'area_id' });
	assertError(await c1.post(`/api/v1/signups/${first}/dispatch`, { area_id: S.c2.id }), 404, { field: 'area_id' });
	const d = await c1.post(`/api/v1/signups/${first}/dispatch`, { area_id: S.b01.id });
	assert.equal(d.status, 200, d.what);
	assert.equal(d.json.status, 'dispatched');
	assert.equal(d.json.dispatch_area_id, S.b01.id);
	assert.equal((await c1.ok(`/api/v1/callouts/${S.callout.id}`)).accepted, 1);
	assertError(await (await h.login('community2')).post(`/api/v1/signups/${first}/accept`, {}), 404, { code: 'signup_not_found' });
	assertError(await (await h.login('grid1')).post(`/api/v1/signups/${first}/accept`, {}), 403);
});

h.test('a closed call-out takes no sign-up: 409 callout_closed', async () => {
	await refill();
	const c1 = await h.login('community1');
	const open = assertCreated(await c1.post('/api/v1/callouts', { title: '夜间值守', area_id: S.c1.id, wanted: 5 }));
	const closed = await c1.patch(`/api/v1/callouts/${open.id}`, { status: 'closed' });
	assert.equal(closed.status, 200, closed.what);
	assert.equal(closed.json.status, 'closed');
	const anon = h.anon();
	assertError(await anon.post(`/api/v1/public/callouts/${open.token}`, { name: '丁', phone: phoneFor(953), client_key: key('e') }),
		409, { code: 'callout_closed' });
	assertError(await c1.patch(`/api/v1/callouts/${open.id}`, { status: 'later' }), 400, { field: 'status' });
	// Past its end, an open call-out is closed too (the test clock moves past it).
	const now = (await h.moveClock(await h.login('admin'), { advance: 'PT1S' })).now_ms;
	const ending = assertCreated(await c1.post('/api/v1/callouts', {
		title: '限时', area_id: S.c1.id, wanted: 5, ends_at: new Date(now + 3_600_000).toISOString(),
	}));
	await h.moveClock(await h.login('admin'), { advance: 'PT2H' });
	assertError(await anon.post(`/api/v1/public/callouts/${ending.token}`, { name: '戊', phone: phoneFor(954), client_key: key('f') }),
		409, { code: 'callout_closed' });
	assert.equal((await c1.ok(`/api/v1/callouts/${ending.id}`)).signed_up, 0);
});

h.test('sign-ups sent at once still stop at the number wanted', async () => {
	await refill();
	const c1 = await h.login('community1');
	const c = assertCreated(await c1.post('/api/v1/callouts', { title: '同时报名', area_id: S.c1.id, wanted: 3 }));
	const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => h.anon().post(`/api/v1/public/callouts/${c.token}`,
		{ name: `并发${i}`, phone: phoneFor(980 + i), client_key: key(`p${i}`) })));
	const statuses = replies.map((r) => r.status).sort();
	assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409, 409, 409], replies.map((r) => r.what).join('\n'));
	for (const r of replies.filter((x) => x.status === 409)) assertError(r, 409, { code: 'callout_full' });
	assert.equal((await c1.ok(`/api/v1/callouts/${c.id}/signups`)).items.length, 3);
	await refill();
});

h.test('the public sign-up is throttled per client address', async () => {
	await refill();
	const anon = h.anon();
	let limited = null;
	for (let i = 0; i < 30 && !limited; i++) {
		const r = await anon.post(`/api/v1/public/callouts/${S.callout.token}`, { name: 'x', phone: '1', client_key: key(`t${i}`) });
		if (r.status === 429) limited = r;
		else assertError(r, 400, { field: 'phone' });
	}
	assert.ok(limited, 'no 429 after 30 posts from one address');
	assertError(limited, 429, { code: 'too_many_signups' });
	await refill();
});
h.test('import: CSV all rows or none (errors by line and field), matched by phone; JSON rows too', async () => {
	const c1 = await h.login('community1');
	const before = (await c1.ok('/api/v1/workers')).items.length;
	const bad = [
		'姓名,手机号,类型,单位,技能,区域编码',
		`干部一,${phoneFor(970)},干部,区教育局,司机、翻译,${COMMUNITY1}`,
		`干部二,${phoneFor(971)},boss,,,${COMMUNITY1}`,
		`干部三,123,cadre,,,${COMMUNITY1}`,
		`干部四,${phoneFor(973)},cadre,,,${COMMUNITY2}`,
		`干部五,${phoneFor(970)},cadre,,,${COMMUNITY1}`,
	].join('\n');
	const r = await c1.req('POST', '/api/v1/workers/import', { body: bad, type: 'text/csv' });
	assert.equal(r.status, 422, r.what);
	assert.equal(r.json.error.code, 'import_invalid');
	assert.deepEqual(r.json.errors.map((e) => [e.line, e.field]), [[3, 'kind'], [4, 'phone'], [5, 'area_code'], [6, 'phone']]);
	assert.equal(r.json.created, 0);
	assert.equal((await c1.ok('/api/v1/workers')).items.length, before, 'nothing imported');
	const good = [
		'name,phone,kind,organisation,skills,area_code',
		`干部一,${phoneFor(970)},干部,区教育局,司机、翻译,${COMMUNITY1}`,
		`服务2改,${phoneFor(902)},party_member,,medical,${B01}`,
	].join('\n');
	const ok = await c1.req('POST', '/api/v1/workers/import', { body: good, type: 'text/csv' });
	assert.equal(ok.status, 200, ok.what);
	assert.equal(ok.json.created, 1);
	assert.equal(ok.json.updated, 1);
	const all = (await c1.ok('/api/v1/workers')).items;
	const cadre = all.find((w) => w.phone === phoneFor(970));
	assert.equal(cadre.kind, 'cadre');
	assert.equal(cadre.organisation, '区教育局');
	assert.deepEqual(cadre.skills, ['driver', 'interpreter']);
	assert.equal(all.find((w) => w.id === S.w2.id).name, '服务2改', 'matched by phone, updated');
	const rows = await c1.post('/api/v1/workers/import?area_id=' + S.c1.id, { rows: [{ 姓名: '志愿者丙', 手机号: phoneFor(974), 类型: '志愿者' }] });
	assert.equal(rows.status, 200, rows.what);
	assert.equal(rows.json.created, 1);
	const noArea = await c1.post('/api/v1/workers/import', { rows: [{ name: '无区域', phone: phoneFor(975), kind: 'staff' }] });
	assert.equal(noArea.status, 422, noArea.what);
	assert.deepEqual(noArea.json.errors.map((e) => [e.line, e.field]), [[2, 'area_code']]);
	const missing = await c1.req('POST', '/api/v1/workers/import', { body: 'name,kind\n甲,staff', type: 'text/csv' });
	assertError(missing, 400, { code: 'missing_column', field: 'phone' });
	assertError(await (await h.login('grid1')).req('POST', '/api/v1/workers/import', { body: good, type: 'text/csv' }), 403);
});

h.test('teams: a leader among the members, members in scope, bad input', async () => {
	const c1 = await h.login('community1');
	const body = { name: '第一突击队', kind: 'assault', area_id: S.c1.id, member_ids: [S.w1.id, S.w2.id], leader_id: S.w1.id };
	const r = await c1.post('/api/v1/teams', body);
	const team = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(team.leader_id, S.w1.id);
	assert.deepEqual([...team.member_ids].sort(), [S.w1.id, S.w2.id].sort());
	assert.equal(team.members.length, 2);
	assertError(await c1.post('/api/v1/teams', { ...body, leader_id: S.w2.id, member_ids: [S.w1.id] }), 422,
		{ code: 'leader_not_member', field: 'leader_id' });
	assertError(await c1.post('/api/v1/teams', { ...body, kind: 'army' }), 400, { field: 'kind' });
	assertError(await c1.post('/api/v1/teams', { ...body, member_ids: [S.w1.id, S.w1.id] }), 400, { field: 'member_ids' });
	const c2 = await h.login('community2');
	const outsider = assertCreated(await c2.post('/api/v1/workers', { name: '外社区', phone: phoneFor(960), kind: 'staff', area_id: S.c2.id }));
	assertError(await c1.post('/api/v1/teams', { ...body, member_ids: [S.w1.id, outsider.id] }), 404, { field: 'member_ids' });
	assert.equal((await c1.ok('/api/v1/teams')).items.length, 1, 'the refused teams were not stored');
	const ch = await c1.patch(`/api/v1/teams/${team.id}`, { kind: 'vanguard_post', member_ids: [S.w2.id], leader_id: S.w2.id });
	assert.equal(ch.status, 200, ch.what);
	assert.equal(ch.json.kind, 'vanguard_post');
	assert.deepEqual(ch.json.member_ids, [S.w2.id]);
	assertError(await c1.patch(`/api/v1/teams/${team.id}`, { leader_id: S.w1.id }), 422, { code: 'leader_not_member' });
	assert.equal((await c1.ok(`/api/v1/teams/${team.id}`)).leader_id, S.w2.id, 'the refused change left it');
	assertError(await c2.get(`/api/v1/teams/${team.id}`), 404, { code: 'team_not_found' });
	assert.deepEqual((await c2.ok('/api/v1/teams')).items, []);
	assertError(await (await h.login('grid1')).post('/api/v1/teams', body), 403);
});

h.test('dispatch batches: the cadres an organisation sent to a community on a day', async () => {
	const commander = await h.login('commander');
	const body = { name: '第一批', organisation: '区财政局', area_id: S.c1.id, day: '2026-12-07', worker_ids: [S.w1.id] };
	const r = await commander.post('/api/v1/batches', body);
	const batch = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(batch.count, 1);
	assert.deepEqual(batch.worker_ids, [S.w1.id]);
	assert.equal(batch.day, '2026-12-07');
	assertError(await commander.post('/api/v1/batches', { ...body, day: '2026-13-01' }), 400, { field: 'day' });
	assertError(await commander.post('/api/v1/batches', { ...body, worker_ids: [] }), 400, { field: 'worker_ids' });
	assertError(await commander.post('/api/v1/batches', { ...body, area_id: S.b01.id }), 422, { code: 'not_a_community', field: 'area_id' });
	const c2 = await h.login('community2');
	assertError(await c2.post('/api/v1/batches', body), 404, { field: 'area_id' });
	const c1 = await h.login('community1');
	const listed = (await c1.ok('/api/v1/batches', { query: { area_id: S.c1.id } })).items;
	assert.deepEqual(listed.map((b) => b.id), [batch.id]);
	assert.deepEqual((await c2.ok('/api/v1/batches')).items, []);
});

h.shutdownTest();
