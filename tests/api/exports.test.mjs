// exports: residents, a round's results and missing people, requests and placements as CSV
// (streamed) and XLSX — each row masked exactly as the role sees the same person in the
// people list, an admin's unmask with a reason (audited with it), every export audited with
// its row count, and the refusals: a kind the role may not read (403), an unknown kind or an
// area outside the scope (404, as a missing one), a bad format or a missing round (400), an
// unmask without a reason (422 naming reason).
import assert from 'node:assert/strict';
import { harness, assertError, assertCreated, assertSameAsMissing, areaByCode, allPeople } from './lib/harness.mjs';
import { COMMUNITY, GRID, barcode, key, openRound, makeSite, residents, openTube, scan, userId } from './lib/tubes.mjs';
import { download, sheetRows, csvRows } from './lib/xlsx.mjs';

const h = harness('exports');
const RESIDENT_HEADS = ['编号', '姓名', '证件类型', '证件号码', '手机号', '性别', '出生日期', '区域编码', '区域',
	'户室', '居住类型', '标签'];
const S = {};

/* The export as rows (headings first), checked to be a 200 CSV download. */
async function csv(client, kind, query) {
	const r = await download(h, client, `/api/v1/exports/${kind}`, query);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
	return { rows: csvRows(r.text), headers: r.headers };
}

/* The people of the grid as client's people list shows them, by id. */
async function listed(client) {
	const items = await allPeople(client, { area_id: S.grid.id });
	return new Map(items.map((p) => [p.id, p]));
}

/* Each exported resident's ID number and phone are what client's list shows. */
function sameAsList(rows, people, what) {
	assert.deepEqual(rows[0], RESIDENT_HEADS);
	assert.equal(rows.length - 1, people.size, `${what}: one row per resident of the grid`);
	for (const row of rows.slice(1)) {
		const p = people.get(row[0]);
		assert.ok(p, `${what}: ${row[0]} is a resident of the grid`);
		assert.equal(row[1], p.name);
		assert.equal(row[3], p.id_number, `${what}: ${p.name}'s ID number as the list shows it`);
		assert.equal(row[4], p.phone || '', `${what}: ${p.name}'s phone as the list shows it`);
		assert.equal(row[9], p.household || '');
	}
}

h.test('setup: a round over the community with three people sampled, a request raised', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	const reg = await h.login('registrar1');
	S.community = await areaByCode(commander, COMMUNITY);
	S.grid = await areaByCode(commander, GRID);
	S.round = await openRound(commander, '导出测试轮');
	const site = await makeSite(community1, GRID, [await userId(admin, 'registrar1')]);
	S.people = await residents(community1, COMMUNITY, 4);
	S.tube = barcode('E');
	assertCreated(await openTube(reg, S.round, site, S.tube));
	for (const p of S.people.slice(0, 3)) assert.equal((await scan(reg, S.tube, p)).status, 201);
	S.request = assertCreated(await community1.post('/api/v1/requests', {
		person_id: S.people[3].id, kind: 'medicine', detail: '需要胰岛素, "加急"', contact_phone: '13912345678',
		client_key: key(),
	}));
});

h.test('residents: each role sees the ID numbers and phones its people list shows', async () => {
	for (const u of ['community1', 'grid1', 'commander']) {
		const c = await h.login(u);
		const { rows, headers } = await csv(c, 'residents', { area_id: S.grid.id });
		sameAsList(rows, await listed(c), u);
		assert.match(headers.get('content-disposition'),
			new RegExp(`^attachment; filename="residents-${GRID}-\\d{8}\\.csv"$`));
	}
	// The roles differ: community staff see ID numbers, grid staff phones only, the commander neither.
	const full = (await csv(await h.login('community1'), 'residents', { area_id: S.grid.id })).rows[1];
	const grid = (await csv(await h.login('grid1'), 'residents', {})).rows[1];
	const cmd = (await csv(await h.login('commander'), 'residents', { area_id: S.grid.id })).rows[1];
	assert.match(full[3], /^\d{17}[\dX]$/);
	assert.match(grid[3], /^\d{6}\*+[\dX]{4}$/);
	assert.match(cmd[3], /^\d{6}\*+[\dX]{4}$/);
	assert.equal(grid[4], full[4]);
	assert.match(full[4], /^1\d{10}$/, 'the first resident has a phone');
	assert.match(cmd[4], /^\d{3}\*+\d{4}$/);
});

h.test('the whole district: every resident once, across the pages the export reads', async () => {
	const commander = await h.login('commander');
	const rows = (await csv(commander, 'residents', {})).rows.slice(1);
	const everyone = await allPeople(commander, {}, 500);
	assert.ok(everyone.length > 1000, 'more residents than one page of the export');
	assert.equal(rows.length, everyone.length);
	const ids = rows.map((r) => r[0]);
	assert.equal(new Set(ids).size, ids.length, 'no resident twice');
	assert.deepEqual([...ids].sort(), everyone.map((p) => p.id).sort());
});

h.test('an admin unmasks with a reason, audited with it; every export audited with its row count', async () => {
	const admin = await h.login('admin');
	const masked = (await csv(admin, 'residents', { area_id: S.grid.id })).rows;
	assert.match(masked[1][3], /\*/, 'an admin sees them masked by default');
	assertError(await admin.get('/api/v1/exports/residents', { query: { area_id: S.grid.id, unmask: 1 } }), 422,
		{ code: 'reason_required', field: 'reason' });
	assertError(await admin.get('/api/v1/exports/residents', { query: { area_id: S.grid.id, unmask: 1, reason: '' } }),
		422, { field: 'reason' });
	assertError(await (await h.login('commander')).get('/api/v1/exports/residents',
		{ query: { area_id: S.grid.id, unmask: 1, reason: '核查' } }), 403, { code: 'unmask_not_allowed' });
	const full = (await csv(admin, 'residents', { area_id: S.grid.id, unmask: 1, reason: '疾控核查密接' })).rows;
	const community = (await csv(await h.login('community1'), 'residents', { area_id: S.grid.id })).rows;
	assert.deepEqual(full, community, 'unmasked: the full ID numbers and phones');
	const entries = async (action) => (await admin.ok('/api/v1/audit', { query: { action, limit: 100 } }))
		.items.map((x) => ({ ...x, detail: JSON.parse(x.detail) }));
	const unmasked = (await entries('export')).find((x) => x.detail.unmask === true);
	assert.ok(unmasked, 'the unmasked export is audited');
	assert.equal(unmasked.detail.reason, '疾控核查密接');
	assert.equal(unmasked.detail.kind, 'residents');
	assert.equal(unmasked.target_id, S.grid.id);
	assert.equal(unmasked.username, 'admin');
	const row = (await entries('export.done')).find((x) => x.username === 'admin' && x.detail.unmask === true);
	assert.ok(row, 'its end is audited');
	assert.deepEqual([row.detail.kind, row.detail.format, row.detail.rows], ['residents', 'csv', full.length - 1]);
});

h.test('results and missing of a round: the samples, and the people not yet sampled', async () => {
	const community1 = await h.login('community1');
	const res = (await csv(community1, 'results', { round_id: S.round.id, area_id: S.community.id })).rows;
	assert.deepEqual(res[0], ['样本编号', '姓名', '证件号码', '手机号', '试管编码', '采样时间', '结果', '区域编码', '区域']);
	assert.equal(res.length - 1, 3);
	assert.deepEqual(res.slice(1).map((r) => r[1]).sort(), S.people.slice(0, 3).map((p) => p.name).sort());
	for (const r of res.slice(1)) {
		assert.equal(r[4], S.tube);
		assert.match(r[5], /^\d{4}-\d\d-\d\dT/);
		assert.equal(r[6], '', 'no result yet');
	}
	const everyone = await allPeople(community1, { area_id: S.community.id });
	const miss = (await csv(community1, 'missing', { round_id: S.round.id, area_id: S.community.id })).rows;
	assert.deepEqual(miss[0], ['编号', '姓名', '证件号码', '手机号', '户室', '区域编码', '区域']);
	assert.equal(miss.length - 1, everyone.length - 3, 'everyone but the three sampled');
	const sampled = new Set(S.people.slice(0, 3).map((p) => p.id));
	assert.ok(miss.slice(1).every((r) => !sampled.has(r[0])));
	// The grid's share only, for grid1.
	const gridMiss = (await csv(await h.login('grid1'), 'missing', { round_id: S.round.id })).rows;
	assert.equal(gridMiss.length - 1, everyone.filter((p) => p.area_path.startsWith(S.grid.path) && !sampled.has(p.id)).length);
});

h.test('requests and placements: the rows of the scope, quoted as CSV', async () => {
	const commander = await h.login('commander');
	const req = (await csv(commander, 'requests', { area_id: S.community.id })).rows;
	assert.equal(req[0][0], '编号');
	const row = req.find((r) => r[0] === S.request.id);
	assert.ok(row, 'the raised request');
	assert.equal(row[2], 'medicine');
	assert.equal(row[11], '需要胰岛素, "加急"', 'a comma and quotes survive the quoting');
	assert.match(row[10], /^139\*+5678$/, 'the commander sees the contact phone masked');
	const own = (await csv(await h.login('community1'), 'requests', {})).rows.find((r) => r[0] === S.request.id);
	assert.equal(own[10], '13912345678');
	const pl = (await csv(commander, 'placements', { area_id: S.community.id })).rows;
	assert.deepEqual(pl, [['编号', '姓名', '证件号码', '手机号', '管控方式', '原因', '开始日期', '解除日期', '状态', '隔离场所']]);
});

h.test('XLSX: the same rows as the CSV, masked the same, headings in Chinese', async () => {
	const commander = await h.login('commander');
	const rows = (await csv(commander, 'residents', { area_id: S.grid.id })).rows;
	const r = await download(h, commander, '/api/v1/exports/residents', { area_id: S.grid.id, format: 'xlsx' });
	assert.equal(r.status, 200, r.what);
	assert.match(r.headers.get('content-type'), /spreadsheetml/);
	assert.match(r.headers.get('content-disposition'), /filename="residents-.*\.xlsx"/);
	const sheet = await sheetRows(r.bytes);
	assert.equal(sheet.length, rows.length);
	sheet.forEach((line, i) => {
		assert.deepEqual(line.map((v) => (v === null ? '' : String(v))), rows[i], `row ${i + 1}`);
	});
});

h.test('refusals: roles, unknown kinds, areas out of scope, bad formats, rounds', async () => {
	const community1 = await h.login('community1');
	assertError(await (await h.login('building1')).get('/api/v1/exports/results', { query: { round_id: S.round.id } }),
		403, { code: 'export_not_allowed', field: 'kind' });
	assertError(await (await h.login('building1')).get('/api/v1/exports/placements'), 403);
	for (const u of ['lab1', 'registrar1', 'volunteer1', 'resident1'])
		assertError(await (await h.login(u)).get('/api/v1/exports/residents'), 403);
	assertError(await community1.get('/api/v1/exports/passwords'), 404, { code: 'unknown_export' });
	assertError(await community1.get('/api/v1/exports/residents', { query: { format: 'pdf' } }), 400,
		{ code: 'invalid_format', field: 'format' });
	assertError(await community1.get('/api/v1/exports/results'), 400, { field: 'round_id' });
	assertError(await community1.get('/api/v1/exports/missing', { query: { round_id: '999999999' } }), 404,
		{ code: 'round_not_found' });
	const other = await areaByCode(await h.login('commander'), '370212001002');
	const out = await community1.get('/api/v1/exports/residents', { query: { area_id: other.id } });
	const missing = await community1.get('/api/v1/exports/residents', { query: { area_id: '999999999999' } });
	assertError(out, 404, { field: 'area_id' });
	assertSameAsMissing(out, missing, other.id, '999999999999');
});

h.shutdownTest();
