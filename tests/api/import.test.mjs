// import: POST /api/v1/people/import — CSV in UTF-8 (with a BOM, Chinese headers) or GBK, bad
// rows reported by line/column/field while good rows are kept, idempotent re-import, merge by
// ID number, whole-file errors (broken quote, wrong encoding) that write nothing, and the JSON
// rows form the browser sends for XLSX files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import {
	harness, assertError, areaByCode, allPeople, makeId, makeIdX, badCheckId, fullWidth,
} from './lib/harness.mjs';

const h = harness('import');
const GBK_FILE = new URL('./fixtures/residents-gbk.csv', import.meta.url);

function counts(rep) {
	return {
		total: rep.total, created: rep.created, updated: rep.updated,
		unchanged: rep.unchanged, failed: rep.failed,
	};
}

async function importCsv(c, body, query = {}) {
	return c.req('POST', '/api/v1/people/import', { body, type: 'text/csv', query });
}

function checkErrors(rep) {
	for (const e of rep.errors)
		for (const k of ['line', 'column', 'field', 'code', 'message', 'message_zh', 'message_en'])
			assert.ok(k in e, `import error lacks ${k}: ${JSON.stringify(e)}`);
}

const UTF8_ROWS = [
	'姓名,身份证号,手机号,楼栋,户号,标签',
	`导入甲,${makeId('19500101', 701)},13900007001,370212001001G01B05,1-101,elderly_alone`,
	`导入乙,${makeId('19600202', 702)},13900007002,370212001001G01B05,1-102,`,
	`导入丙,${badCheckId('19700303', 703)},13900007003,370212001001G01B05,1-103,`,
	`导入丁,${makeId('19800404', 704)},1390000,370212001001G01B05,1-104,`,
	`导入戊,${makeId('19900505', 705)},13900007005,NO-SUCH-BUILDING,1-105,`,
	`"导入己, 二号",${makeId('20000606', 706)},13900007006,370212001001G01B06,2-201,"child"`,
	'',
];
const UTF8_FILE = '\ufeff' + UTF8_ROWS.join('\r\n');

let first;

h.test('UTF-8 CSV with a BOM and Chinese headers: good rows kept, bad rows named by line, column and field', async () => {
	const admin = await h.login('admin');
	const r = await importCsv(admin, UTF8_FILE);
	assert.equal(r.status, 200, r.what);
	first = r.json;
	assert.deepEqual(counts(first), { total: 6, created: 3, updated: 0, unchanged: 0, failed: 3 }, r.what);
	assert.equal(first.encoding, 'utf-8');
	checkErrors(first);
	const byLine = Object.fromEntries(first.errors.map((e) => [e.line, e]));
	assert.deepEqual(Object.keys(byLine).map(Number).sort(), [4, 5, 6], r.what);
	assert.equal(byLine[4].field, 'id_number');
	assert.equal(byLine[4].column, 2);
	assert.match(byLine[4].message_en, /check/i);
	assert.equal(byLine[5].field, 'phone');
	assert.equal(byLine[5].column, 3);
	assert.equal(byLine[6].column, 4);
	assert.match(byLine[6].field, /building|area/);
	const got = await allPeople(admin, { name: '导入' });
	assert.deepEqual(got.map((p) => p.name).sort(), ['导入乙', '导入己, 二号', '导入甲'].sort());
	const jia = got.find((p) => p.name === '导入甲');
	assert.ok(jia.tags.includes('elderly_alone'), JSON.stringify(jia));
	assert.equal(jia.household, '1-101');
	assert.equal(jia.sex, 'M');
	assert.equal(jia.birth_date, '1950-01-01');
	const b05 = await areaByCode(admin, '370212001001G01B05');
	assert.equal(jia.area_id, b05.id);
});

h.test('re-importing the same file changes nothing', async () => {
	const admin = await h.login('admin');
	const before = (await allPeople(admin, { name: '导入' })).map((p) => [p.id, p.updated_at]);
	const r = await importCsv(admin, UTF8_FILE);
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 6, created: 0, updated: 0, unchanged: 3, failed: 3 }, r.what);
	assert.deepEqual(r.json.errors.map((e) => e.line), first.errors.map((e) => e.line));
	const after = (await allPeople(admin, { name: '导入' })).map((p) => [p.id, p.updated_at]);
	assert.deepEqual(after.sort(), before.sort(), 'a re-import touched the rows');
});

h.test('the report speaks English when asked', async () => {
	const admin = await h.login('admin');
	const r = await admin.req('POST', '/api/v1/people/import', {
		body: UTF8_FILE, type: 'text/csv', headers: { 'accept-language': 'en' },
	});
	assert.equal(r.status, 200, r.what);
	assert.ok(r.json.errors.length > 0);
	for (const e of r.json.errors) {
		assert.equal(e.message, e.message_en);
		assert.match(e.message_zh, /[\u4e00-\u9fff]/);
	}
});

h.test('the same ID number updates the resident, never doubles it', async () => {
	const admin = await h.login('admin');
	const id = makeId('19500101', 701);
	const csv = 'name,id_number,phone,building\n' +
		`导入甲,${id},13900007101,370212001001G01B05\n` +
		`导入甲改,${id},13900007102,370212001001G01B05\n`;
	const r = await importCsv(admin, csv);
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 2, created: 0, updated: 2, unchanged: 0, failed: 0 }, r.what);
	const found = await admin.ok('/api/v1/people', { query: { id_number: id } });
	assert.equal(found.items.length, 1);
	assert.equal(found.items[0].name, '导入甲改');
	const c1 = await h.login('community1');
	const full = await c1.ok(`/api/v1/people/${found.items[0].id}`);
	assert.equal(full.phone, '13900007102');
	// The same ID twice in a new file: one created, then updated.
	const id2 = makeId('19510101', 711);
	const r2 = await importCsv(admin, 'name,id_number,phone,building\n' +
		`重复一,${id2},13900007111,370212001001G01B05\n重复二,${id2},13900007112,370212001001G01B05\n`);
	assert.deepEqual(counts(r2.json), { total: 2, created: 1, updated: 1, unchanged: 0, failed: 0 }, r2.what);
	assert.equal((await admin.ok('/api/v1/people', { query: { id_number: id2 } })).items.length, 1);
});

h.test('GBK CSV (as Excel writes it) is detected and imported', async () => {
	const admin = await h.login('admin');
	const bytes = fs.readFileSync(GBK_FILE);
	const r = await importCsv(admin, bytes);
	assert.equal(r.status, 200, r.what);
	assert.match(r.json.encoding, /^(gbk|gb18030)$/, r.what);
	assert.deepEqual(counts(r.json), { total: 4, created: 3, updated: 0, unchanged: 0, failed: 1 }, r.what);
	assert.equal(r.json.errors[0].line, 4);
	assert.equal(r.json.errors[0].field, 'id_number');
	const names = (await allPeople(admin, { q: '国标' })).map((p) => p.name).sort();
	assert.deepEqual(names, ['国标乙', '国标甲']);
	assert.equal((await admin.ok('/api/v1/people', { query: { name: '國標丁' } })).items.length, 1);
	// Given explicitly, the same.
	const again = await importCsv(admin, bytes, { encoding: 'gbk' });
	assert.equal(again.status, 200, again.what);
	assert.deepEqual(counts(again.json), { total: 4, created: 0, updated: 0, unchanged: 3, failed: 1 });
});

h.test('bytes invalid in the declared encoding answer 400 naming the line, and nothing is written', async () => {
	const admin = await h.login('admin');
	const gbkName = Buffer.from([0xb9, 0xfa, 0xb1, 0xea, 0xce, 0xec]); // "国标戊" in GBK
	const bytes = Buffer.concat([
		Buffer.from('name,id_number,phone,building\n' +
			`编码庚,${makeId('19520101', 751)},13900007501,370212001001G01B07\n`),
		gbkName,
		Buffer.from(`,${makeId('19520101', 753)},13900007503,370212001001G01B07\n`),
	]);
	const r = await importCsv(admin, bytes, { encoding: 'utf-8' });
	const e = assertError(r, 400);
	assert.equal(Number(e.line), 3, r.what);
	assert.match(e.message_en, /UTF-8|encoding/i, r.what);
	assert.equal((await allPeople(admin, { name: '编码庚' })).length, 0, 'rows of a refused file were kept');
	assertError(await importCsv(admin, bytes, { encoding: 'ebcdic' }), 400, { field: 'encoding' });
});

h.test('a broken quote answers 400 naming the line, and nothing is written', async () => {
	const admin = await h.login('admin');
	const csv = 'name,id_number,phone,building\n' +
		`引号甲,${makeId('19520101', 721)},13900007201,370212001001G01B07\n` +
		`"引号乙,${makeId('19520101', 723)},13900007203,370212001001G01B07\n` +
		`引号丙,${makeId('19520101', 725)},13900007205,370212001001G01B07\n`;
	const r = await importCsv(admin, csv);
	const e = assertError(r, 400);
	assert.equal(Number(e.line), 3, r.what);
	assert.equal((await allPeople(admin, { name: '引号' })).length, 0, 'rows of a refused file were kept');
});

h.test('bad headers answer 400 naming the missing column', async () => {
	const admin = await h.login('admin');
	const r = await importCsv(admin, `name,phone\n无证件,13900007301\n`);
	const e = assertError(r, 400, { line: 1 });
	assert.match(e.message_en, /id_number/);
	assertError(await importCsv(admin, ''), 400);
});

h.test('area_id gives the default building; rows outside the caller\'s scope fail', async () => {
	const c1 = await h.login('community1');
	const admin = await h.login('admin');
	const b08 = await areaByCode(admin, '370212001001G01B08');
	const csv = 'name,id_number,phone,building\n' +
		`默认楼,${makeId('19530101', 731)},13900007311,\n` +
		`越界楼,${makeId('19530101', 733)},13900007313,370212001002G01B01\n`;
	const r = await importCsv(c1, csv, { area_id: b08.id });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 2, created: 1, updated: 0, unchanged: 0, failed: 1 }, r.what);
	assert.equal(r.json.errors[0].line, 3);
	const p = (await c1.ok('/api/v1/people', { query: { name: '默认楼' } })).items[0];
	assert.equal(p.area_id, b08.id);
	assert.equal((await admin.ok('/api/v1/people', { query: { name: '越界楼' } })).items.length, 0);
	const other = await areaByCode(admin, '370212001002G01B01');
	assertError(await importCsv(c1, csv, { area_id: other.id }), 404);
});

h.test('a building named under the import\'s area; a quoted line break keeps line numbers physical', async () => {
	const admin = await h.login('admin');
	const grid = await areaByCode(admin, '370212001001G02');
	const csv = '姓名,身份证号,楼栋,单元,房号,备注\r\n' +
		`名楼甲,${makeId('19550101', 761)},3号楼,2,301,"两行\n备注"\r\n` + // Alt+Enter in an Excel cell
		`名楼乙,${makeId('19550101', 763)},99号楼,1,101,\r\n` +
		`名楼丙,${makeId('19550101', 765)},370212001001G02B04,,,\r\n`;
	const r = await importCsv(admin, csv, { area_id: grid.id });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 3, created: 2, updated: 0, unchanged: 0, failed: 1 }, r.what);
	assert.equal(r.json.errors[0].line, 4, 'the bad row starts on physical line 4');
	assert.equal(r.json.errors[0].field, 'building');
	const jia = (await admin.ok('/api/v1/people', { query: { name: '名楼甲' } })).items[0];
	const b03 = await areaByCode(admin, '370212001001G02B03');
	assert.equal(jia.area_id, b03.id);
	assert.equal(jia.household, '2-301');
	assert.equal(jia.note, '两行\n备注', 'a free-text note keeps its line break');
	// Without an import area, a building name alone is not enough.
	const r2 = await importCsv(admin, `name,id_number,building\n名楼丁,${makeId('19550101', 767)},3号楼\n`);
	assert.deepEqual(counts(r2.json), { total: 1, created: 0, updated: 0, unchanged: 0, failed: 1 }, r2.what);
	assert.equal(r2.json.errors[0].field, 'building');
});

h.test('JSON rows (from an XLSX parsed in the browser): line is the row index + 2', async () => {
	const admin = await h.login('admin');
	const rows = [
		{ name: '表格甲', id_number: makeId('19540101', 741), phone: '13900007401', building: '370212001001G01B09', tags: 'bedridden' },
		{ name: '表格乙', id_number: badCheckId('19540101', 743), phone: '13900007403', building: '370212001001G01B09' },
		// A spreadsheet reader leaves empty cells out of a row's object.
		{ name: '表格丙', id_number: makeId('19540101', 745), building: '370212001001G01B09' },
	];
	const r = await admin.post('/api/v1/people/import', { rows });
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 3, created: 2, updated: 0, unchanged: 0, failed: 1 }, r.what);
	checkErrors(r.json);
	assert.equal(r.json.errors[0].line, 3);
	assert.equal(r.json.errors[0].field, 'id_number');
	const again = await admin.post('/api/v1/people/import', { rows });
	assert.deepEqual(counts(again.json), { total: 3, created: 0, updated: 0, unchanged: 2, failed: 1 });
	const jia = (await admin.ok('/api/v1/people', { query: { name: '表格甲' } })).items[0];
	assert.ok(jia.tags.includes('bedridden'));
	// Chinese headers as keys, as an office's XLSX has them.
	const zh = await admin.post('/api/v1/people/import', { rows: [
		{ 姓名: '表格丁', 身份证号: makeId('19540101', 747), 手机号: '13900007407', 楼栋: '370212001001G01B09', 标签: '卧床' },
	] });
	assert.equal(zh.status, 200, zh.what);
	assert.deepEqual(counts(zh.json), { total: 1, created: 1, updated: 0, unchanged: 0, failed: 0 }, zh.what);
	const ding = (await admin.ok('/api/v1/people', { query: { name: '表格丁' } })).items[0];
	assert.deepEqual(ding.tags, ['bedridden']);
	assertError(await admin.post('/api/v1/people/import', { rows: 'nope' }), 400, { field: 'rows' });
	assertError(await admin.post('/api/v1/people/import', { lines: [] }), 400, { field: 'lines' });
});

h.test('imports are audited, and only people roles may import', async () => {
	const admin = await h.login('admin');
	const r = await admin.get('/api/v1/audit', { query: { action: 'people.import' } });
	assert.equal(r.status, 200, r.what);
	assert.ok(r.json.items.length >= 5, `expected one people.import entry per import: ${r.what}`);
	for (const u of ['lab1', 'volunteer1', 'resident1'])
		assertError(await importCsv(await h.login(u), UTF8_FILE), 403);
	const noToken = await admin.req('POST', '/api/v1/people/import',
		{ body: UTF8_FILE, type: 'text/csv', csrf: false });
	assertError(noToken, 403, { code: 'csrf' });
});

/* Sends only the headers of a 100 MB upload and reads what comes back: the reply must come
 * before any of the body is sent (a server that read the body first would wait for it). */
function headersOnly(headers) {
	const url = new URL(h.base);
	return new Promise((resolve, reject) => {
		const sock = net.connect(Number(url.port), url.hostname);
		let got = Buffer.alloc(0);
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`no reply within 10 s to the headers alone; got ${JSON.stringify(String(got))}`));
		}, 10_000);
		sock.on('connect', () => sock.write(
			'POST /api/v1/people/import HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\n' +
			`Content-Length: ${100 * 1024 * 1024}\r\n${headers}\r\n`));
		sock.on('data', (d) => {
			got = Buffer.concat([got, d]);
			const end = got.indexOf('\r\n\r\n');
			const len = /content-length: (\d+)/i.exec(String(got.subarray(0, end < 0 ? 0 : end)));
			if (end >= 0 && len && got.length >= end + 4 + Number(len[1])) {
				clearTimeout(timer);
				sock.destroy();
				resolve({
					status: Number(String(got.subarray(9, 12))),
					body: JSON.parse(String(got.subarray(end + 4))),
				});
			}
		});
		sock.on('error', (e) => { clearTimeout(timer); reject(e); });
	});
}

h.test('an upload refused by its headers (no session, a role that may not, no CSRF token) is answered before its body', async () => {
	let r = await headersOnly('');
	assert.equal(r.status, 401, JSON.stringify(r));
	assert.equal(r.body.error.code, 'login_required');
	const lab = await h.login('lab1');
	r = await headersOnly(`Cookie: ${lab.cookie}\r\nX-CSRF-Token: ${lab.csrf}\r\n`);
	assert.equal(r.status, 403, JSON.stringify(r));
	assert.equal(r.body.error.code, 'forbidden');
	const admin = await h.login('admin');
	r = await headersOnly(`Cookie: ${admin.cookie}\r\n`);
	assert.equal(r.status, 403, JSON.stringify(r));
	assert.equal(r.body.error.code, 'csrf');
});

h.test('full-width digits and spaces (as spreadsheets and input methods give them) merge with the ASCII number', async () => {
	const admin = await h.login('admin');
	const c1 = await h.login('community1');
	const known = makeId('19500101', 701); // imported by the first test
	const fresh = makeIdX('19520202', 721);
	const csv = 'name,id_number,phone,building\n' +
		`导入甲全角,${fullWidth(`${known.slice(0, 6)} ${known.slice(6)}`)},${fullWidth('139 0000 7103')},370212001001G01B05\n` +
		`导入全角新,\u00a0${fullWidth(fresh.toLowerCase())}\u3000,１３９００００７１２１,370212001001G01B05\n` +
		`导入全角坏,${fullWidth(makeId('19520303', 731).slice(0, 17))}号,13900007131,370212001001G01B05\n` +
		`导入全角科学,３．７０２１２Ｅ＋１７,13900007141,370212001001G01B05\n`;
	const r = await importCsv(admin, csv);
	assert.equal(r.status, 200, r.what);
	assert.deepEqual(counts(r.json), { total: 4, created: 1, updated: 1, unchanged: 0, failed: 2 }, r.what);
	checkErrors(r.json);
	const bad = r.json.errors.map((e) => [e.line, e.field, e.code]);
	assert.deepEqual(bad, [[4, 'id_number', 'id_number_length'], [5, 'id_number', 'id_number_scientific']]);
	const merged = await admin.ok('/api/v1/people', { query: { id_number: known } });
	assert.equal(merged.items.length, 1, 'the full-width row merged with the resident, not doubled');
	assert.equal(merged.items[0].name, '导入甲全角');
	assert.equal((await c1.ok(`/api/v1/people/${merged.items[0].id}`)).phone, '13900007103');
	const created = await admin.ok('/api/v1/people', { query: { id_number: fresh } });
	assert.equal(created.items.length, 1);
	const full = await c1.ok(`/api/v1/people/${created.items[0].id}`);
	assert.equal(full.id_number, fresh, 'stored in ASCII with an upper-case X');
	assert.equal(full.phone, '13900007121');
	// The same file again changes nothing.
	const again = await importCsv(admin, csv);
	assert.deepEqual(counts(again.json), { total: 4, created: 0, updated: 0, unchanged: 2, failed: 2 }, again.what);
});

h.shutdownTest();
