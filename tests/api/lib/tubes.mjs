// tubes: what the registration and lab API tests share — an open round over a community with a
// sampling site the registrar is bound to, residents with their sampling codes and full ID
// numbers, fresh client keys and tube barcodes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { areaByCode, assertCreated } from './harness.mjs';

export const COMMUNITY = '370212001001';
export const GRID = '370212001001G01';
export const OTHER_GRID = '370212001001G02';

let serial = 0;

/* A client key: unique, 8..64 of [A-Za-z0-9_.:-]. */
export function key() {
	return `k-${randomUUID()}`;
}

/* A tube or box barcode unique within the test file. */
export function barcode(prefix) {
	serial += 1;
	return `${prefix}${String(process.pid).slice(-4)}${String(serial).padStart(4, '0')}`;
}

/* Creates and opens a round over the community (pool size as given); resolves to it. */
export async function openRound(commander, name, poolSize = 10) {
	const community = await areaByCode(commander, COMMUNITY);
	const deadline = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
	const r = await commander.post('/api/v1/rounds', {
		name, area_ids: [community.id], deadline_at: deadline, pool_size: poolSize,
	});
	const round = assertCreated(r);
	const o = await commander.post(`/api/v1/rounds/${round.id}/open`);
	assert.equal(o.status, 200, o.what);
	return o.json;
}

/* A sampling site in the area with that code; registrars (user ids) bound to it. */
export async function makeSite(community1, areaCode, registrarIds = []) {
	const area = await areaByCode(community1, areaCode);
	const site = assertCreated(await community1.post('/api/v1/sites', {
		area_id: area.id, code: barcode('S'), name: `采样点${serial}`, kind: 'fixed', desks: 2,
	}));
	if (registrarIds.length) {
		const r = await community1.req('PUT', `/api/v1/sites/${site.id}/registrars`,
			{ json: { user_ids: registrarIds } });
		assert.equal(r.status, 200, r.what);
	}
	return site;
}

/* n residents of the area with full ID numbers (community staff see them unmasked) and their
 * sampling codes. */
export async function residents(community1, areaCode, n) {
	const area = await areaByCode(community1, areaCode);
	const r = await community1.get('/api/v1/people', { query: { area_id: area.id, limit: n } });
	assert.equal(r.status, 200, r.what);
	assert.ok(r.json.items.length >= n, `only ${r.json.items.length} people in ${areaCode}`);
	const out = [];
	for (const p of r.json.items.slice(0, n)) {
		assert.match(p.id_number, /^\d{17}[\dX]$/, 'community staff see full ID numbers');
		const c = await community1.get(`/api/v1/people/${p.id}/sampling-code`);
		assert.equal(c.status, 200, c.what);
		assert.match(c.json.code, /^FK1:\d+:[0-9a-f]{8}$/);
		out.push({ ...p, code: c.json.code });
	}
	return out;
}

/* Opens a tube at the site; resolves to the reply. */
export function openTube(client, round, site, code = barcode('T'), k = key()) {
	return client.post(`/api/v1/rounds/${round.id}/tubes`, { code, site_id: site.id, client_key: k });
}

/* Scans a person (by code, or by ID number when byId) into the tube. */
export function scan(client, tubeCode, person, opts = {}) {
	const body = opts.byId ? { id_number: person.id_number } : { person_code: person.code };
	return client.post(`/api/v1/tubes/${tubeCode}/scans`, { ...body, client_key: opts.key || key() });
}

/* The user id of username, read by the admin. */
export async function userId(admin, username) {
	const r = await admin.get('/api/v1/users');
	assert.equal(r.status, 200, r.what);
	const u = r.json.items.find((x) => x.username === username);
	assert.ok(u, `no user ${username}`);
	return u.id;
}
