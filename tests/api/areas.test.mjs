// areas: browsing the tree from the caller's scope roots, create / rename / move / delete
// within scope, CSV import, and that moving a building moves who may see its residents.
import assert from 'node:assert/strict';
import {
	harness, assertError, assertCreated, areaByCode, newPerson,
} from './lib/harness.mjs';

const h = harness('areas');
const AREA_KEYS = ['id', 'parent_id', 'path', 'depth', 'kind', 'name', 'code', 'responsible', 'lat', 'lng'];

function checkArea(a) {
	for (const k of AREA_KEYS) assert.ok(k in a, `area lacks ${k}: ${JSON.stringify(a)}`);
	assert.match(a.id, /^\d+$/, 'ids are decimal strings');
	assert.ok(a.path.endsWith(`/${a.id}/`), `path ${a.path} must end with the area's id`);
	assert.ok(Array.isArray(a.responsible));
}

async function roots(user) {
	const c = await h.login(user);
	const r = await c.get('/api/v1/areas');
	assert.equal(r.status, 200, r.what);
	r.json.items.forEach(checkArea);
	return r.json.items.map((a) => a.code);
}

const CSV_HEADER = 'code,name,kind,parent_code,responsible_title,responsible_name,responsible_phone';

async function importAreas(c, text, query) {
	return c.req('POST', '/api/v1/areas/import', { body: text, type: 'text/csv; charset=utf-8', query });
}

h.test('GET /areas without parent_id lists the caller\'s scope roots', async () => {
	assert.deepEqual(await roots('admin'), ['370212']);
	assert.deepEqual(await roots('commander'), ['370212']);
	assert.deepEqual(await roots('community1'), ['370212001001']);
	assert.deepEqual(await roots('grid1'), ['370212001001G01']);
	assert.deepEqual(await roots('building1'), ['370212001001G01B01']);
	assert.deepEqual(await roots('volunteer1'), ['370212001001']);
	assert.deepEqual(await roots('registrar1'), ['370212']);
});

h.test('lab and resident may not browse areas (403)', async () => {
	for (const u of ['lab1', 'resident1'])
		assertError(await (await h.login(u)).get('/api/v1/areas'), 403);
});

h.test('children by parent_id, filtered by kind', async () => {
	const admin = await h.login('admin');
	const district = admin.me.scopes[0];
	const streets = await admin.ok('/api/v1/areas', { query: { parent_id: district.id } });
	assert.deepEqual(streets.items.map((a) => a.code).sort(),
		['370212001', '370212002', '370212003', '370212004']);
	for (const s of streets.items) {
		checkArea(s);
		assert.equal(s.kind, 'street');
		assert.equal(s.parent_id, district.id);
		assert.equal(s.depth, 1);
		assert.ok(s.path.startsWith(district.path));
	}
	const c1 = await h.login('community1');
	const community = c1.me.scopes[0];
	const grids = await c1.ok('/api/v1/areas', { query: { parent_id: community.id } });
	assert.equal(grids.items.length, 10);
	const g = await c1.ok('/api/v1/areas', { query: { parent_id: community.id, kind: 'grid' } });
	assert.equal(g.items.length, 10);
	const b = await c1.ok('/api/v1/areas', { query: { parent_id: community.id, kind: 'building' } });
	assert.equal(b.items.length, 0);
});

h.test('q searches names and codes within the scope only', async () => {
	const c1 = await h.login('community1');
	const mine = await c1.ok('/api/v1/areas', { query: { q: '370212001001G0' } });
	assert.ok(mine.items.length >= 9, `expected the community's grids: ${mine.items.length}`);
	for (const a of mine.items) assert.ok(a.code.startsWith('370212001001'), a.code);
	const theirs = await c1.ok('/api/v1/areas', { query: { q: '370212001002' } });
	assert.equal(theirs.items.length, 0, 'q leaked areas outside the scope');
	const admin = await h.login('admin');
	const found = await admin.ok('/api/v1/areas', { query: { q: '370212001002G01' } });
	assert.ok(found.items.some((a) => a.code === '370212001002G01'));
});

h.test('GET /areas/{id} gives ancestors, children and residents counts', async () => {
	const g1 = await h.login('grid1');
	const b01 = await areaByCode(g1, '370212001001G01B01');
	const d = await g1.ok(`/api/v1/areas/${b01.id}`);
	checkArea(d);
	assert.equal(d.kind, 'building');
	assert.equal(d.depth, 4);
	assert.deepEqual(d.ancestors.map((a) => a.code),
		['370212', '370212001', '370212001001', '370212001001G01']);
	assert.equal(d.children_count, 0);
	assert.ok(d.residents_count >= 1, `resident1 lives in B01: ${JSON.stringify(d)}`);
	const grid = await g1.ok(`/api/v1/areas/${g1.me.scopes[0].id}`);
	assert.equal(grid.children_count, 10);
	assert.ok(grid.residents_count >= d.residents_count);
});

h.test('an area outside the scope answers 404 exactly like a missing one', async () => {
	const admin = await h.login('admin');
	const other = await areaByCode(admin, '370212001002G01');
	const g1 = await h.login('grid1');
	const a = await g1.get(`/api/v1/areas/${other.id}`);
	const b = await g1.get('/api/v1/areas/999999999999');
	assertError(a, 404);
	assertError(b, 404);
	const norm = (r) => JSON.stringify(r.json).replaceAll(other.id, 'ID').replaceAll('999999999999', 'ID');
	assert.equal(norm(a), norm(b), 'out-of-scope and missing differ');
	assertError(await g1.get('/api/v1/areas', { query: { parent_id: other.id } }), 404);
	const up = await areaByCode(admin, '370212001001');
	assertError(await g1.get('/api/v1/areas', { query: { parent_id: up.id } }), 404);
});

let g11; // a grid made under community 370212001001

h.test('community staff create an area under their community', async () => {
	const c1 = await h.login('community1');
	const community = c1.me.scopes[0];
	const r = await c1.post('/api/v1/areas', {
		parent_id: community.id, kind: 'grid', name: '测试网格', code: '370212001001G11',
		responsible: [{ title: '网格员', name: '王芳', phone: '13900000001' }],
		lat: 36.107, lng: 120.468,
	});
	g11 = assertCreated(r);
	checkArea(g11);
	assert.equal(g11.parent_id, community.id);
	assert.equal(g11.path, `${community.path}${g11.id}/`);
	assert.equal(g11.depth, 3);
	assert.equal(g11.kind, 'grid');
	assert.deepEqual(g11.responsible, [{ title: '网格员', name: '王芳', phone: '13900000001' }]);
	assert.ok(Math.abs(g11.lat - 36.107) < 1e-9 && Math.abs(g11.lng - 120.468) < 1e-9);
	const b = await c1.post('/api/v1/areas', { parent_id: g11.id, kind: 'building', name: '1号楼', code: '370212001001G11B01' });
	assertCreated(b);
	const commander = await h.login('commander');
	const seen = await commander.ok(`/api/v1/areas/${g11.id}`);
	assert.equal(seen.children_count, 1);
	assertError(await (await h.login('grid1')).get(`/api/v1/areas/${g11.id}`), 404);
});

h.test('bad area input: unknown parent 404, taken code 409, bad kind or name 400, no top-level area 403', async () => {
	const admin = await h.login('admin');
	const community = await areaByCode(admin, '370212001001');
	assertError(await admin.post('/api/v1/areas',
		{ parent_id: '999999999999', kind: 'grid', name: '无上级', code: 'ORPHAN-1' }), 404);
	assertError(await admin.post('/api/v1/areas',
		{ parent_id: community.id, kind: 'grid', name: '重复', code: '370212001001G01' }), 409, { field: 'code' });
	assertError(await admin.post('/api/v1/areas',
		{ parent_id: community.id, kind: 'castle', name: '城堡', code: 'CASTLE-1' }), 400, { field: 'kind' });
	assertError(await admin.post('/api/v1/areas',
		{ parent_id: community.id, kind: 'grid', name: '', code: 'EMPTY-1' }), 400, { field: 'name' });
	assertError(await admin.post('/api/v1/areas',
		{ parent_id: community.id, kind: 'grid', name: '无编码', code: '' }), 400, { field: 'code' });
	assertError(await admin.post('/api/v1/areas', { kind: 'district', name: '另一区', code: 'ROOT-2' }),
		403, { code: 'root_outside_scope', field: 'parent_id' });
	const q = await admin.ok('/api/v1/areas', { query: { q: 'ORPHAN-1' } });
	assert.equal(q.items.length, 0);
});

h.test('writes are for admin, commander and community only, and only within scope', async () => {
	const admin = await h.login('admin');
	const other = await areaByCode(admin, '370212001002');
	const g1 = await h.login('grid1');
	assertError(await g1.post('/api/v1/areas',
		{ parent_id: g1.me.scopes[0].id, kind: 'building', name: '网格员建楼', code: 'GRIDB-1' }), 403);
	assertError(await g1.patch(`/api/v1/areas/${g1.me.scopes[0].id}`, { name: '改名' }), 403);
	const c1 = await h.login('community1');
	assertError(await c1.post('/api/v1/areas',
		{ parent_id: other.id, kind: 'grid', name: '越界', code: 'OUT-1' }), 404);
	assertError(await c1.patch(`/api/v1/areas/${other.id}`, { name: '越界改名' }), 404);
	assertError(await c1.del(`/api/v1/areas/${other.id}`), 404);
	const commander = await h.login('commander');
	const ok = await commander.post('/api/v1/areas',
		{ parent_id: other.id, kind: 'grid', name: '指挥部建网格', code: '370212001002G11' });
	assertCreated(ok);
});

h.test('rename and update an area', async () => {
	const c1 = await h.login('community1');
	const r = await c1.patch(`/api/v1/areas/${g11.id}`,
		{ name: '滨海网格', responsible: [{ title: '网格长', name: '李强', phone: '13900000002' }] });
	assert.equal(r.status, 200, r.what);
	const got = await c1.ok(`/api/v1/areas/${g11.id}`);
	assert.equal(got.name, '滨海网格');
	assert.equal(got.code, '370212001001G11');
	assert.equal(got.responsible[0].name, '李强');
	// A responsible phone typed full-width and spaced is kept in ASCII.
	const wide = await c1.patch(`/api/v1/areas/${g11.id}`,
		{ responsible: [{ title: '网格长', name: '李强', phone: '\uff11\uff13\uff19\u3000\uff10\uff10\uff10\uff10 0003' }] });
	assert.equal(wide.status, 200, wide.what);
	assert.equal((await c1.ok(`/api/v1/areas/${g11.id}`)).responsible[0].phone, '13900000003');
	assertError(await c1.patch(`/api/v1/areas/${g11.id}`,
		{ responsible: [{ name: '李强', phone: '\uff11\uff13\uff19号' }] }), 400, { field: 'responsible[0].phone' });
	assertError(await c1.patch(`/api/v1/areas/${g11.id}`, { name: '' }), 400, { field: 'name' });
	assertError(await c1.patch(`/api/v1/areas/${g11.id}`, { code: '370212001001G01' }), 409, { field: 'code' });
	assertError(await c1.patch(`/api/v1/areas/${g11.id}`, { parent_id: '1' }), 400, { field: 'parent_id' });
});

h.test('move: into itself or a descendant 422, unknown parent 404, out of scope 404', async () => {
	const c1 = await h.login('community1');
	const community = c1.me.scopes[0];
	const b = await areaByCode(c1, '370212001001G11B01');
	assertError(await c1.post(`/api/v1/areas/${g11.id}/move`, { parent_id: g11.id }), 422);
	assertError(await c1.post(`/api/v1/areas/${g11.id}/move`, { parent_id: b.id }), 422);
	const admin = await h.login('admin');
	assertError(await admin.post(`/api/v1/areas/${community.id}/move`, { parent_id: b.id }), 422);
	assertError(await c1.post(`/api/v1/areas/${g11.id}/move`, { parent_id: '999999999999' }), 404);
	const other = await areaByCode(admin, '370212001002');
	assertError(await c1.post(`/api/v1/areas/${g11.id}/move`, { parent_id: other.id }), 404);
	// The scope root itself cannot be moved by its holder out of reach either.
	const street = await areaByCode(admin, '370212001');
	assert.ok([403, 404, 422].includes((await c1.post(`/api/v1/areas/${community.id}/move`,
		{ parent_id: street.id })).status));
	const still = await c1.ok(`/api/v1/areas/${g11.id}`);
	assert.equal(still.parent_id, community.id, 'a refused move moved the area');
});

h.test('move rewrites the paths of the whole subtree', async () => {
	const admin = await h.login('admin');
	const dest = await areaByCode(admin, '370212001002');
	const r = await admin.post(`/api/v1/areas/${g11.id}/move`, { parent_id: dest.id });
	assert.equal(r.status, 200, r.what);
	const g = await admin.ok(`/api/v1/areas/${g11.id}`);
	assert.equal(g.parent_id, dest.id);
	assert.equal(g.path, `${dest.path}${g11.id}/`);
	const b = await areaByCode(admin, '370212001001G11B01');
	const bd = await admin.ok(`/api/v1/areas/${b.id}`);
	assert.equal(bd.path, `${g.path}${b.id}/`);
	assert.deepEqual(bd.ancestors.map((a) => a.code).slice(0, 3), ['370212', '370212001', '370212001002']);
	assertError(await (await h.login('community1')).get(`/api/v1/areas/${b.id}`), 404);
	assert.equal((await (await h.login('community2')).get(`/api/v1/areas/${b.id}`)).status, 200);
});

h.test('delete refuses a non-empty area with 409 "area_not_empty"', async () => {
	const admin = await h.login('admin');
	assertError(await admin.del(`/api/v1/areas/${g11.id}`), 409, { code: 'area_not_empty' });
	const b01 = await areaByCode(admin, '370212001001G01B01'); // resident1 lives here
	assertError(await admin.del(`/api/v1/areas/${b01.id}`), 409, { code: 'area_not_empty' });
	const street = await areaByCode(admin, '370212001');
	assertError(await admin.del(`/api/v1/areas/${street.id}`), 409, { code: 'area_not_empty' });
	const b = await areaByCode(admin, '370212001001G11B01');
	const r1 = await admin.del(`/api/v1/areas/${b.id}`);
	assert.ok(r1.status === 200 || r1.status === 204, r1.what);
	assertError(await admin.get(`/api/v1/areas/${b.id}`), 404);
	const r2 = await admin.del(`/api/v1/areas/${g11.id}`);
	assert.ok(r2.status === 200 || r2.status === 204, r2.what);
	assertError(await admin.del(`/api/v1/areas/${g11.id}`), 404);
});

h.test('CSV import keeps good rows, reports bad ones by line, and re-import changes nothing', async () => {
	const admin = await h.login('admin');
	const csv = [
		CSV_HEADER,
		'370212004011,海滨社区,community,370212004,书记,赵海,13900001111',
		'370212004011G01,海滨一网格,grid,370212004011,网格员,钱一,13900001112',
		'370212004011G01B01,1号楼,building,370212004011G01,楼长,孙一,13900001113',
		'370212004011G01B02,2号楼,building,NO-SUCH-PARENT,楼长,孙二,13900001114',
		'370212004011G01B03,3号楼,castle,370212004011G01,,,',
		'370212004011G01B04,"4号楼, 东",building,370212004011G01,,,',
		'',
	].join('\r\n');
	const r = await importAreas(admin, csv);
	assert.equal(r.status, 200, r.what);
	const rep = r.json;
	assert.deepEqual([rep.total, rep.created, rep.updated, rep.unchanged, rep.failed], [6, 4, 0, 0, 2], r.what);
	assert.equal(rep.errors.length, 2);
	const [e5, e6] = rep.errors;
	assert.equal(e5.line, 5);
	assert.equal(e5.field, 'parent_code');
	assert.equal(e5.column, 4);
	assert.equal(e6.line, 6);
	assert.equal(e6.field, 'kind');
	assert.equal(e6.column, 3);
	for (const e of rep.errors)
		for (const k of ['code', 'message', 'message_zh', 'message_en']) assert.ok(e[k], `${k}: ${JSON.stringify(e)}`);
	const b4 = await areaByCode(admin, '370212004011G01B04');
	assert.equal(b4.name, '4号楼, 东');
	const b1 = await admin.ok(`/api/v1/areas/${(await areaByCode(admin, '370212004011G01B01')).id}`);
	assert.deepEqual(b1.ancestors.map((a) => a.code).slice(-2), ['370212004011', '370212004011G01']);
	assert.deepEqual(b1.responsible, [{ title: '楼长', name: '孙一', phone: '13900001113' }]);

	const again = await importAreas(admin, csv);
	assert.equal(again.status, 200, again.what);
	assert.deepEqual([again.json.total, again.json.created, again.json.updated, again.json.unchanged,
		again.json.failed], [6, 0, 0, 4, 2], again.what);
});

h.test('CSV import takes Chinese headers and a UTF-8 BOM, and updates changed rows', async () => {
	const admin = await h.login('admin');
	const csv = '\ufeff编码,名称,类型,上级编码,职务,负责人,电话\n' +
		'370212004011G01B01,一号楼,building,370212004011G01,楼长,孙一,13900001113\n' +
		'370212004011G01B05,5号楼,building,370212004011G01,,,\n';
	const r = await importAreas(admin, csv);
	assert.equal(r.status, 200, r.what);
	assert.deepEqual([r.json.total, r.json.created, r.json.updated, r.json.unchanged, r.json.failed],
		[2, 1, 1, 0, 0], r.what);
	assert.equal((await areaByCode(admin, '370212004011G01B01')).name, '一号楼');
});

h.test('CSV import with a broken quote answers 400 naming the line and writes nothing', async () => {
	const admin = await h.login('admin');
	const csv = `${CSV_HEADER}\n370212004012,新社区,community,370212004,,,\n370212004013,"坏引号,community,370212004,,,\n`;
	const r = await importAreas(admin, csv);
	const e = assertError(r, 400);
	assert.equal(Number(e.line), 3, r.what);
	assert.equal((await admin.ok('/api/v1/areas', { query: { q: '370212004012' } })).items.length, 0,
		'rows before the broken quote were kept');
});

h.test('CSV import is scoped: rows outside the caller\'s scope fail; grid workers may not import', async () => {
	const c1 = await h.login('community1');
	const csv = `${CSV_HEADER}\n370212001001G12,十二网格,grid,370212001001,,,\n370212001002G12,越界网格,grid,370212001002,,,\n`;
	const r = await importAreas(c1, csv);
	assert.equal(r.status, 200, r.what);
	assert.deepEqual([r.json.created, r.json.failed], [1, 1], r.what);
	assert.equal(r.json.errors[0].line, 3);
	const admin = await h.login('admin');
	assert.equal((await admin.ok('/api/v1/areas', { query: { q: '370212001002G12' } })).items.length, 0);
	assertError(await importAreas(await h.login('grid1'), csv), 403);
});

h.test('moving a building moves who sees its residents', async () => {
	const admin = await h.login('admin');
	const b02 = await areaByCode(admin, '370212001001G01B02');
	const person = await newPerson(admin, b02.id, 501, { name: '搬迁测试' });
	const g1 = await h.login('grid1');
	const g2 = await h.login('grid2');
	assert.equal((await g1.get(`/api/v1/people/${person.id}`)).status, 200);
	assertError(await g2.get(`/api/v1/people/${person.id}`), 404);

	const grid2 = g2.me.scopes[0];
	const r = await admin.post(`/api/v1/areas/${b02.id}/move`, { parent_id: grid2.id });
	assert.equal(r.status, 200, r.what);

	const seen = await g2.get(`/api/v1/people/${person.id}`);
	assert.equal(seen.status, 200, seen.what);
	assert.equal(seen.json.area_id, b02.id);
	assert.ok(seen.json.area_path.startsWith(grid2.path), `area_path ${seen.json.area_path}`);
	const list = await g2.ok('/api/v1/people', { query: { area_id: b02.id } });
	assert.ok(list.items.some((p) => p.id === person.id));
	assertError(await g1.get(`/api/v1/people/${person.id}`), 404);
	const mine = await g1.ok('/api/v1/people', { query: { name: '搬迁测试' } });
	assert.equal(mine.items.length, 0, 'the old grid still finds the moved resident');
	// The moved building keeps its residents: counts follow it.
	const d = await g2.ok(`/api/v1/areas/${b02.id}`);
	assert.ok(d.residents_count >= 1);
});

h.test('area changes are audited', async () => {
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/audit', { query: { target_kind: 'area', limit: 100 } });
	assert.equal(r.status, 200, r.what);
	const actions = new Set(r.json.items.map((e) => e.action));
	for (const a of ['area.create', 'area.move', 'area.delete'])
		assert.ok(actions.has(a), `no ${a} in the audit log: ${[...actions]}`);
});

h.shutdownTest();
