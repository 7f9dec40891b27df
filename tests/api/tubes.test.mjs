// tubes: registration at a sampling site — open a tube by its barcode, scan ten people in by
// sampling code or ID number (the tube closes itself), the eleventh into a new tube, one person
// in one live tube per round (409 naming the tube), idempotent retries by client_key, undo,
// void, visitors added at the desk, registrars only at their own sites, sampling codes as QR
// images and printable sheets, tube labels.
import assert from 'node:assert/strict';
import {
	harness, assertError, assertCreated, assertSameAsMissing, areaByCode, makeId, makeIdX, badCheckId,
	fullWidth,
} from './lib/harness.mjs';
import {
	COMMUNITY, GRID, OTHER_GRID, key, barcode, openRound, makeSite, residents, openTube, scan,
	userId,
} from './lib/tubes.mjs';

const h = harness('tubes');

let round, site, otherSite, people, registrarId;
let t1, t2; // tube codes

h.test('setup: an open round over a community, a site with its registrar, residents', async () => {
	const admin = await h.login('admin');
	const commander = await h.login('commander');
	const community1 = await h.login('community1');
	registrarId = await userId(admin, 'registrar1');
	round = await openRound(commander, '第一轮全员核酸');
	assert.equal(round.status, 'sampling');
	site = await makeSite(community1, GRID, [registrarId]);
	otherSite = await makeSite(community1, OTHER_GRID, []);
	people = await residents(community1, COMMUNITY, 16);
});

h.test('a registrar opens a tube by its barcode; the same barcode again resumes it', async () => {
	const reg = await h.login('registrar1');
	t1 = barcode('T');
	const k = key();
	const r = await openTube(reg, round, site, t1, k);
	const tube = assertCreated(r);
	assert.equal(r.status, 201);
	assert.equal(tube.code, t1);
	assert.equal(tube.status, 'open');
	assert.equal(tube.capacity, 10, 'capacity is the round pool size');
	assert.equal(tube.n, 0);
	const again = await openTube(reg, round, site, t1);
	assert.equal(again.status, 200, again.what);
	assert.equal(again.json.id, tube.id);
	// The same key asking for another tube, here or at another site, is refused: it does not
	// answer with the first tube, and opens nothing.
	for (const where of [site, otherSite]) {
		const other = barcode('OTHER');
		const e = assertError(await openTube(reg, round, where, other, k), 422, { code: 'key_reused', field: 'client_key' });
		assert.equal(e.message_en, 'this client_key was used for a different request');
		assert.equal(e.message_zh, '此 client_key 已用于另一个请求');
		assertError(await reg.get(`/api/v1/tubes/${other}`), 404);
	}
	const same = await openTube(reg, round, site, t1, k);
	assert.equal(same.status, 201, same.what);
	assert.equal(same.text, r.text, 'the first request still replays byte for byte');
	// Bad barcodes and unknown sites.
	assertError(await openTube(reg, round, site, 'bad code!'), 400, { code: 'invalid_code', field: 'code' });
	assertError(await reg.post(`/api/v1/rounds/${round.id}/tubes`, { code: barcode('T'), site_id: '999', client_key: key() }),
		404, { code: 'site_not_found' });
	assertError(await reg.post(`/api/v1/rounds/${round.id}/tubes`, { code: barcode('T'), site_id: site.id, client_key: 'short' }),
		400, { code: 'invalid_client_key', field: 'client_key' });
	assertError(await reg.post(`/api/v1/rounds/${round.id}/tubes`, { code: barcode('T'), site_id: site.id }),
		400, { field: 'client_key' });
});

h.test('ten scans fill the tube and close it; the eleventh goes to a new tube', async () => {
	const reg = await h.login('registrar1');
	for (let i = 0; i < 10; i++) {
		const r = await scan(reg, t1, people[i], { byId: i % 3 === 2 });
		assert.equal(r.status, 201, r.what);
		assert.equal(r.json.person.id, people[i].id);
		assert.equal(r.json.person.name, people[i].name);
		assert.match(r.json.person.id_number, /\*/, 'registrars see ID numbers masked');
		assert.equal(r.json.tube.n, i + 1);
		assert.equal(r.json.closed, i === 9, `closed after scan ${i + 1}`);
	}
	const full = await h.login('registrar1').then((c) => c.get(`/api/v1/tubes/${t1}`));
	assert.equal(full.status, 200, full.what);
	assert.equal(full.json.status, 'closed');
	assert.ok(full.json.closed_at);
	assert.equal(full.json.samples.length, 10);
	assertError(await scan(reg, t1, people[10]), 409, { code: 'tube_full' });
	t2 = barcode('T');
	assertCreated(await openTube(reg, round, site, t2));
	const r = await scan(reg, t2, people[10]);
	assert.equal(r.status, 201, r.what);
	assert.equal(r.json.tube.n, 1);
	assert.equal(r.json.closed, false);
});

h.test('one person cannot be in two live tubes of a round: 409 naming the tube', async () => {
	const reg = await h.login('registrar1');
	const e = assertError(await scan(reg, t2, people[0]), 409, { code: 'already_in_tube' });
	assert.ok(e.message_zh.includes(t1) && e.message_en.includes(t1), `names ${t1}: ${e.message_en}`);
	assert.equal(e.field, 'person_code');
	const same = assertError(await scan(reg, t2, people[10], { byId: true }), 409, { code: 'already_scanned' });
	assert.ok(same.message_en.includes(t2));
	assert.equal(same.field, 'id_number');
});

h.test('a retry with the same client_key gets the same bytes and changes nothing', async () => {
	const reg = await h.login('registrar1');
	const k = key();
	const first = await scan(reg, t2, people[11], { key: k });
	assert.equal(first.status, 201, first.what);
	const again = await scan(reg, t2, people[11], { key: k });
	assert.equal(again.status, 201, again.what);
	assert.equal(again.text, first.text, 'byte for byte');
	// A retry sent with a different person is another request: refused, nothing scanned.
	assertError(await scan(reg, t2, people[12], { key: k }), 422, { code: 'key_reused', field: 'client_key' });
	const tube = await reg.ok(`/api/v1/tubes/${t2}`);
	assert.equal(tube.n, 2, 'counted once');
	// The same key for another operation is refused.
	assertError(await openTube(reg, round, site, barcode('T'), k), 409, { code: 'client_key_reused' });
	// Concurrent twins: one scan.
	const k2 = key();
	const [a, b] = await Promise.all([scan(reg, t2, people[12], { key: k2 }), scan(reg, t2, people[12], { key: k2 })]);
	assert.equal(a.status, 201, a.what);
	assert.equal(b.text, a.text);
	assert.equal((await reg.ok(`/api/v1/tubes/${t2}`)).n, 3);
});

h.test('coverage counts each sampled person once', async () => {
	const commander = await h.login('commander');
	const community = await areaByCode(commander, COMMUNITY);
	const r = await commander.get(`/api/v1/rounds/${round.id}/coverage`, { query: { area_id: community.id } });
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.totals.sampled, 13, JSON.stringify(r.json.totals));
});

h.test('undo takes a wrong scan out; it can then be scanned again', async () => {
	const reg = await h.login('registrar1');
	const r = await reg.del(`/api/v1/tubes/${t2}/scans/${people[12].id}`);
	assert.equal(r.status, 200, r.what);
	assert.equal(r.json.n, 2);
	assertError(await reg.del(`/api/v1/tubes/${t2}/scans/${people[12].id}`), 404, { code: 'not_in_tube' });
	// Undo in a tube closed at capacity opens it again.
	const u = await reg.del(`/api/v1/tubes/${t1}/scans/${people[9].id}`);
	assert.equal(u.status, 200, u.what);
	assert.equal(u.json.status, 'open');
	assert.equal(u.json.n, 9);
	const back = await scan(reg, t1, people[9]);
	assert.equal(back.status, 201, back.what);
	assert.equal(back.json.closed, true);
	const again = await scan(reg, t2, people[12]);
	assert.equal(again.status, 201, again.what);
});

h.test('a voided tube frees its people for another tube', async () => {
	const reg = await h.login('registrar1');
	const t3 = barcode('T');
	assertCreated(await openTube(reg, round, site, t3));
	assert.equal((await scan(reg, t3, people[13])).status, 201);
	assertError(await scan(reg, t2, people[13]), 409, { code: 'already_in_tube' });
	const v = await reg.post(`/api/v1/tubes/${t3}/void`);
	assert.equal(v.status, 200, v.what);
	assert.equal(v.json.status, 'voided');
	assertError(await scan(reg, t3, people[14]), 409, { code: 'tube_voided' });
	const r = await scan(reg, t2, people[13]);
	assert.equal(r.status, 201, r.what);
	const tube = await reg.ok(`/api/v1/tubes/${t3}`);
	assert.deepEqual(tube.samples.map((s) => s.person_id), [people[13].id], 'the voided tube keeps its sample');
	assert.ok(tube.samples.every((s) => s.voided), JSON.stringify(tube.samples));
});

h.test('close by hand; an empty tube cannot be closed', async () => {
	const reg = await h.login('registrar1');
	const empty = barcode('T');
	assertCreated(await openTube(reg, round, site, empty));
	assertError(await reg.post(`/api/v1/tubes/${empty}/close`), 422, { code: 'tube_empty' });
	const c = await reg.post(`/api/v1/tubes/${t2}/close`);
	assert.equal(c.status, 200, c.what);
	assert.equal(c.json.status, 'closed');
	assertError(await scan(reg, t2, people[15]), 409, { code: 'tube_closed' });
});

h.test('bad scans: unknown tube, forged or malformed codes, unknown ID, both or neither', async () => {
	const reg = await h.login('registrar1');
	const t = barcode('T');
	assertCreated(await openTube(reg, round, site, t));
	assertError(await scan(reg, barcode('X'), people[15]), 404, { code: 'unknown_tube' });
	const forged = people[15].code.replace(/:[0-9a-f]{8}$/, ':00000000');
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { person_code: forged, client_key: key() }),
		404, { code: 'unknown_person' });
	const guessed = people[15].code.replace(/^FK1:\d+:/, `FK1:${people[14].id}:`);
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { person_code: guessed, client_key: key() }),
		404, { code: 'unknown_person' });
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { person_code: 'hello', client_key: key() }),
		400, { code: 'invalid_person_code', field: 'person_code' });
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { id_number: makeId('19700101', 901), client_key: key() }),
		404, { code: 'unknown_person', field: 'id_number' });
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { client_key: key() }), 400, { code: 'person_required' });
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`,
		{ person_code: people[15].code, id_number: people[15].id_number, client_key: key() }), 400, { code: 'person_required' });
	// A wedge scanner may add spaces and a lower-case x: still found.
	const spaced = ` ${people[15].id_number.slice(0, 6)} ${people[15].id_number.slice(6).toLowerCase()} `;
	const ok = await reg.post(`/api/v1/tubes/${t}/scans`, { id_number: spaced, client_key: key() });
	assert.equal(ok.status, 201, ok.what);
	assert.equal(ok.json.person.id, people[15].id);
});

h.test('visitors are added at the desk after an ID check and scanned', async () => {
	const reg = await h.login('registrar1');
	const t = barcode('T');
	assertCreated(await openTube(reg, round, site, t));
	const bad = assertError(await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '访客甲', id_type: 'resident', id_number: badCheckId('19900101', 611), client_key: key(),
	}), 400, { field: 'id_number' });
	assert.ok(bad.message_en.length > 0);
	const id = makeId('19900101', 611);
	const k = key();
	const r = await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '访客甲', id_type: 'resident', id_number: id, phone: '13900006110', client_key: k,
	});
	assert.equal(r.status, 201, r.what);
	assert.equal(r.json.visitor_created, true);
	assert.equal(r.json.tube.n, 1);
	const again = await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '访客甲', id_type: 'resident', id_number: id, phone: '13900006110', client_key: k,
	});
	assert.equal(again.text, r.text, 'a retried visitor is not registered twice');
	const community1 = await h.login('community1');
	const found = await community1.get('/api/v1/people', { query: { id_number: id } });
	assert.equal(found.status, 200, found.what);
	assert.equal(found.json.items.length, 1);
	assert.equal(found.json.items[0].residence, 'visitor');
	const grid = await areaByCode(community1, GRID);
	assert.equal(found.json.items[0].area_id, grid.id, "filed in the site's area");
	// Someone already registered is scanned as they are, not duplicated.
	const known = await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '别名', id_type: 'resident', id_number: id, client_key: key(),
	});
	const e = assertError(known, 409, { code: 'already_scanned' });
	assert.equal(e.field, 'id_number');
});

h.test('a scan and a visitor by an ID number typed full-width or spaced match the number stored in ASCII', async () => {
	const reg = await h.login('registrar1');
	const community1 = await h.login('community1');
	const grid = await areaByCode(community1, GRID);
	const id = makeIdX('19880808', 621);
	const p = assertCreated(await community1.post('/api/v1/people',
		{ name: '全角扫码', id_type: 'resident', id_number: id, area_id: grid.id }));
	const t = barcode('T');
	assertCreated(await openTube(reg, round, site, t));
	const typed = fullWidth(`${id.slice(0, 6)} ${id.slice(6).toLowerCase()}`);
	const ok = await reg.post(`/api/v1/tubes/${t}/scans`, { id_number: `\u00a0${typed}\t`, client_key: key() });
	assert.equal(ok.status, 201, ok.what);
	assert.equal(ok.json.person.id, p.id);
	// A visitor typed full-width is stored folded ...
	const vid = makeIdX('19910909', 631);
	const v = await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '全角访客', id_type: 'resident', id_number: `\u3000${fullWidth(vid.toLowerCase())}`,
		phone: fullWidth('139 0000 6310'), client_key: key(),
	});
	assert.equal(v.status, 201, v.what);
	assert.equal(v.json.visitor_created, true);
	const found = await community1.ok('/api/v1/people', { query: { id_number: vid } });
	assert.equal(found.items.length, 1);
	assert.equal(found.items[0].id_number, vid);
	assert.equal(found.items[0].phone, '13900006310');
	// ... so the same person typed in ASCII is the one already there, not a second visitor.
	assertError(await reg.post(`/api/v1/tubes/${t}/visitors`,
		{ name: '全角访客', id_type: 'resident', id_number: vid, client_key: key() }), 409, { code: 'already_scanned' });
	assert.equal((await community1.ok('/api/v1/people', { query: { name: '全角访客' } })).items.length, 1);
	// Folded and still no number: the same 400 as before, naming the field.
	assertError(await reg.post(`/api/v1/tubes/${t}/scans`, { id_number: `${fullWidth('3702')}号`, client_key: key() }),
		400, { code: 'invalid_id_number', field: 'id_number' });
	assertError(await reg.post(`/api/v1/tubes/${t}/visitors`, {
		name: '全角访客乙', id_type: 'resident', id_number: fullWidth(badCheckId('19910909', 641)), client_key: key(),
	}), 400, { code: 'id_number_check', field: 'id_number' });
});

h.test('registrars work only at the sites they are bound to; elsewhere reads as missing', async () => {
	const reg = await h.login('registrar1');
	const commander = await h.login('commander');
	const community2 = await h.login('community2');
	const missingSite = { id: '999999999999' };
	// Opening a tube at a site it is not bound to reads as opening at no site at all; for
	// another community's staff, a site outside its scope reads the same.
	for (const who of [reg, community2]) {
		const out = await openTube(who, round, otherSite, barcode('T'));
		assertError(out, 404, { code: 'site_not_found', field: 'site_id' });
		assertSameAsMissing(out, await openTube(who, round, missingSite, barcode('T')));
	}
	const t = barcode('T');
	const none = barcode('X');
	assertCreated(await openTube(commander, round, otherSite, t));
	// Every route that names the tube answers as for a tube that does not exist.
	const asked = [
		['GET', (c) => `/api/v1/tubes/${c}`],
		['GET', (c) => `/api/v1/tubes/${c}/label.svg`],
		['POST', (c) => `/api/v1/tubes/${c}/scans`, () => ({ person_code: people[14].code, client_key: key() })],
		['POST', (c) => `/api/v1/tubes/${c}/visitors`,
			() => ({ name: '外来甲', id_type: 'resident', id_number: makeId('19800101', 771), client_key: key() })],
		['DELETE', (c) => `/api/v1/tubes/${c}/scans/${people[14].id}`],
		['POST', (c) => `/api/v1/tubes/${c}/close`],
		['POST', (c) => `/api/v1/tubes/${c}/void`],
	];
	for (const who of [reg, community2])
		for (const [method, path, body] of asked) {
			const send = (c) => who.req(method, path(c), body ? { json: body() } : {});
			const out = await send(t);
			// (another community's staff scanning grid1's resident hear first of the person)
			assertError(out, 404, who === reg || method !== 'POST' || !path('').endsWith('/scans')
				? { code: 'unknown_tube' } : { code: 'unknown_person' });
			assertSameAsMissing(out, await send(none), t, none);
		}
	assertError(await community2.get(`/api/v1/tubes/${t}`), 404, { code: 'unknown_tube' });
	// A grid worker may not register at all.
	const grid1 = await h.login('grid1');
	assertError(await scan(grid1, t, people[14]), 403, { code: 'forbidden' });
	// The tube is untouched: still open, with no one in it.
	const still = await commander.ok(`/api/v1/tubes/${t}`);
	assert.equal(still.status, 'open');
	assert.deepEqual(still.samples, []);
	// The same for a box at the other site: read, sealed, filled, listed.
	const box = barcode('B');
	const noBox = barcode('Y');
	assertCreated(await commander.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: otherSite.id }));
	assert.equal((await commander.get(`/api/v1/boxes/${box}`)).status, 200);
	const boxAsked = [
		['GET', (c) => `/api/v1/boxes/${c}`],
		['POST', (c) => `/api/v1/boxes/${c}/seal`],
		['POST', (c) => `/api/v1/boxes/${c}/tubes`, { tube_code: t }],
		['POST', (c) => `/api/v1/boxes/${c}/handover`, { to: '转运员' }],
	];
	for (const who of [reg, community2])
		for (const [method, path, body] of boxAsked) {
			const send = (c) => who.req(method, path(c), body ? { json: body } : {});
			const out = await send(box);
			assertError(out, 404, { code: 'unknown_box' });
			assertSameAsMissing(out, await send(noBox), box, noBox);
		}
	// A tube at a site the registrar may not see, put in a box of its own site, reads as missing.
	const mine = barcode('B');
	assertCreated(await reg.post('/api/v1/boxes', { code: mine, round_id: round.id, site_id: site.id }));
	const into = (c) => reg.post(`/api/v1/boxes/${mine}/tubes`, { tube_code: c });
	const out = await into(t);
	assertError(out, 404, { code: 'unknown_tube', field: 'tube_code' });
	assertSameAsMissing(out, await into(none), t, none);
	const listed = async (who) => (await who.ok('/api/v1/boxes', { query: { round_id: round.id } })).items.map((b) => b.code);
	assert.ok((await listed(commander)).includes(box));
	assert.ok(!(await listed(reg)).includes(box), 'a registrar lists the boxes of its own sites only');
});

h.test('sampling codes as SVG and PNG; a resident gets only its own', async () => {
	const community1 = await h.login('community1');
	const svg = await community1.get(`/api/v1/people/${people[0].id}/qr.svg`);
	assert.equal(svg.status, 200, svg.what);
	assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
	assert.match(svg.text, /^<\?xml[^>]*>\s*<svg[^>]*viewBox="0 0 \d+ \d+"/);
	assert.match(svg.text, /<path fill="#000" d="M\d+ \d+h\d+v1h-\d+z/);
	const res = await fetch(`${h.base}/api/v1/people/${people[0].id}/qr.png?scale=4`, { headers: { cookie: community1.cookie } });
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'image/png');
	const png = Buffer.from(await res.arrayBuffer());
	assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const side = png.readUInt32BE(16);
	assert.ok(side >= 4 * 29, `a whole QR code at scale 4: ${side} px`);
	assert.equal(side, png.readUInt32BE(20), 'square');
	assert.equal(side % 4, 0, 'scale 4');
	// The whole file, to its IEND chunk: an image is binary, NUL bytes included.
	assert.deepEqual([...png.subarray(png.length - 12)], [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
	assert.ok(png.subarray(8, 40).some((b) => b !== 0), 'the header chunk is there');
	assertError(await community1.get(`/api/v1/people/${people[0].id}/qr.png`, { query: { scale: 99 } }), 400, { field: 'scale' });
	const resident = await h.login('resident1');
	const own = resident.me.person_id;
	assert.ok(own, 'resident1 is linked to a person');
	const mine = await resident.get(`/api/v1/people/${own}/sampling-code`);
	assert.equal(mine.status, 200, mine.what);
	assert.match(mine.json.code, new RegExp(`^FK1:${own}:[0-9a-f]{8}$`));
	const other = people.find((p) => p.id !== own);
	assertError(await resident.get(`/api/v1/people/${other.id}/qr.svg`), 404);
	const registrar = await h.login('registrar1');
	assertError(await registrar.get(`/api/v1/people/${people[0].id}/qr.svg`), 403);
});

h.test('the printable sheet of a building holds every resident once (audited)', async () => {
	const building1 = await h.login('building1');
	const b01 = await areaByCode(building1, `${GRID}B01`);
	const list = await building1.get('/api/v1/people', { query: { area_id: b01.id, limit: 500 } });
	const r = await building1.get(`/api/v1/areas/${b01.id}/qr-sheet`);
	assert.equal(r.status, 200, r.what);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	const cards = r.text.match(/class="card"/g) || [];
	assert.equal(cards.length, list.json.items.length);
	for (const p of list.json.items) assert.ok(r.text.includes(p.name), `${p.name} on the sheet`);
	assert.doesNotMatch(r.text, /<script/i);
	const other = await areaByCode(await h.login('commander'), '370212001002G01B01');
	assertError(await building1.get(`/api/v1/areas/${other.id}/qr-sheet`), 404);
	const admin = await h.login('admin');
	const audit = await admin.get('/api/v1/audit', { query: { action: 'people.qr_sheet' } });
	assert.equal(audit.status, 200, audit.what);
	// The one sheet printed (the refused one leaves nothing): by whom, of which building, how many.
	assert.deepEqual(audit.json.items.map((e) => [e.username, e.action, e.target_kind, e.target_id]),
		[['building1', 'people.qr_sheet', 'area', b01.id]], audit.what);
	assert.equal(audit.json.items[0].user_id, building1.me.id);
	assert.deepEqual(JSON.parse(audit.json.items[0].detail), { people: list.json.items.length });
});

h.test('tube labels are SVG with the QR code and the barcode text', async () => {
	const reg = await h.login('registrar1');
	const r = await reg.get(`/api/v1/tubes/${t1}/label.svg`);
	assert.equal(r.status, 200, r.what);
	assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
	assert.ok(r.text.includes(`>${t1}</text>`));
	assert.match(r.text, /<path fill="#000"/);
	assertError(await reg.get(`/api/v1/tubes/${barcode('X')}/label.svg`), 404);
});

h.test('a closed round takes no more scans', async () => {
	const commander = await h.login('commander');
	const reg = await h.login('registrar1');
	const t = barcode('T');
	assertCreated(await openTube(reg, round, site, t));
	const c = await commander.post(`/api/v1/rounds/${round.id}/close`);
	assert.equal(c.status, 200, c.what);
	assertError(await scan(reg, t, people[14]), 422, { code: 'round_closed' });
	assertError(await openTube(reg, round, site), 422, { code: 'round_closed' });
});

h.shutdownTest();
