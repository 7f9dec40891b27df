// leak: what the leak matrix (leak.test.mjs) is built from — the route table walked into
// cells, the objects each URL parameter names (made through the API as admin in two areas
// far apart, "in" and "out"), bodies for writes learnt from the router's own refusals, and the
// scanner that looks for another scope's people (ID numbers, names, phones, full and masked)
// in any reply: JSON, CSV, HTML, SVG, an XLSX's sheet XML, an SSE stream.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/* ---------------- URL parameters and the kinds of object they name ---------------- */

/* The kind of object a {param} of a path names: a param called x_id names an x; otherwise
 * the path segment before it does (/rounds/{id} a round, /screening/campaigns/{id} a
 * campaign, /zones/of-area/{area_id} an area). */
const SEGMENT_KIND = {
	people: 'person', rounds: 'round', sites: 'site', tubes: 'tube', boxes: 'box', zones: 'zone',
	checkpoints: 'checkpoint', cases: 'case', facilities: 'facility', placements: 'placement',
	requests: 'request', campaigns: 'campaign', registrations: 'registration', workers: 'worker',
	shifts: 'shift', runs: 'run', households: 'household', donations: 'donation', areas: 'area',
	users: 'user', callouts: 'callout', teams: 'team', 'fever-referrals': 'referral',
	transfers: 'transfer', rooms: 'room', retests: 'retest', 'zone-proposals': 'proposal',
	alerts: 'alert', signups: 'signup', tests: 'isolation_test', exports: 'export',
	callups: 'area', exemptions: 'person', scans: 'person',
};

export function paramKinds(routePath) {
	const segs = routePath.split('/');
	const out = [];
	segs.forEach((s, i) => {
		const m = /^\{([a-z_]+)\}$/.exec(s);
		if (!m) return;
		const name = m[1];
		let kind = name.endsWith('_id') ? name.slice(0, -3) : SEGMENT_KIND[segs[i - 1]];
		assert.ok(kind, `no object kind for {${name}} in ${routePath}: add its segment to SEGMENT_KIND`);
		out.push({ name, kind });
	});
	return out;
}

/* The route's path with each {param} replaced by valueOf(kind, name). */
export function fillPath(routePath, valueOf) {
	const kinds = paramKinds(routePath);
	let i = 0;
	return routePath.replace(/\{([a-z_]+)\}/g, () => {
		const k = kinds[i++];
		return encodeURIComponent(String(valueOf(k.kind, k.name)));
	});
}

/* ---------------- bodies learnt from the router's refusals ---------------- */

/* A value for a body field the router asked for (missing_field) or refused for its type
 * (wrong_type, whose English message names the type). ref(kind) gives an id of that kind. */
function guess(field, wantType, ref) {
	const idKind = field.endsWith('_ids') ? field.slice(0, -4) : field.endsWith('_id') ? field.slice(0, -3) : null;
	if (wantType) {
		if (/array of ids/.test(wantType)) return [String(ref(idKind || 'person'))];
		if (/array of strings/.test(wantType)) return ['x'];
		if (/an array/.test(wantType)) return [];
		if (/an id/.test(wantType)) return String(ref(idKind || 'person'));
		if (/integer/.test(wantType)) return 1;
		if (/number/.test(wantType)) return 1;
		if (/true or false/.test(wantType)) return false;
		if (/an object/.test(wantType)) return {};
		return 'x';
	}
	if (field.endsWith('_ids')) return [String(ref(idKind))];
	if (field.endsWith('_id')) return String(ref(idKind));
	if (field === 'client_key') return `leak-${Math.random().toString(36).slice(2, 12)}`;
	if (field.endsWith('_at') || field === 'from' || field === 'to') return new Date().toISOString();
	if (field === 'day' || field.endsWith('_day') || field === 'date') return new Date().toISOString().slice(0, 10);
	if (field.endsWith('_code') || field === 'code') return String(ref(field === 'tube_code' ? 'tube' : field));
	return 'x';
}

/* Values for fields whose value a handler refuses (out of range, not a known word) and whose
 * refusal names no list of the words it takes. */
const FIELD_VALUES = {
	temperature: [36.5],
	result: ['negative', 'sampled'],
	id_number: ['110101199003070011'],
	travel_code: ['green'],
	deadline_at: [new Date(Date.now() + 24 * 3600e3).toISOString()],
	starts_at: [new Date(Date.now() + 3600e3).toISOString()],
	ends_at: [new Date(Date.now() + 3 * 3600e3).toISOString()],
	usernames: [['volunteer1']],
	reason: ['leak matrix'],
	phone: ['13900000999'],
};

/* The words a refusal's English message lists ("kind must be gate or road"). */
function listedWords(message) {
	const m = /must be (?:one of:? )?([a-z_, ]+)/.exec(message || '');
	return m ? m[1].split(/, | or /).map((w) => w.trim()).filter((w) => /^[a-z_]+$/.test(w)) : [];
}

/* Sends method path with a JSON body grown from {} by what the router or the handler says is
 * missing, of the wrong type or refused (trying the words its message lists, or
 * FIELD_VALUES), at most 24 times; resolves to {reply, body}. Values that name objects come
 * from ref(kind). */
export async function probeWrite(client, method, urlPath, ref) {
	let body = {};
	let r;
	const tried = {};
	const words = {}; // field -> the words its refusals listed
	for (let i = 0; i < 24; i++) {
		r = await client.req(method, urlPath, { json: body });
		const e = r.error;
		if (!e || !e.field || e.field.includes('.')) break;
		const f = e.field;
		words[f] = [...new Set([...(words[f] || []), ...listedWords(e.message_en)])];
		// A value this role may not send (a grid worker records only "sampled"): another one.
		if (r.status === 403 && (!(f in body) || e.code === 'wrong_type')) break;
		if (r.status !== 400 && r.status !== 422 && r.status !== 403) break;
		if (e.code === 'missing_field' || !(f in body)) {
			if (f in body) break;
			body = { ...body, [f]: f in FIELD_VALUES ? FIELD_VALUES[f][0] : guess(f, null, ref) };
		} else if (e.code === 'wrong_type') {
			body = { ...body, [f]: guess(f, e.message_en || '', ref) };
		} else {
			tried[f] = tried[f] || new Set([JSON.stringify(body[f])]);
			const next = [...(FIELD_VALUES[f] || []), ...words[f]]
				.find((v) => !tried[f].has(JSON.stringify(v)));
			if (next === undefined) break;
			tried[f].add(JSON.stringify(next));
			body = { ...body, [f]: next };
		}
	}
	return { reply: r, body };
}

/* ---------------- people of another scope ---------------- */

export const maskId = (s) => (s.length > 10 ? s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4) : s);
export const maskPhone = (s) => (s.length > 7 ? s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4) : s);

/* The tokens that betray a person: full and masked ID number and phone, and the name. */
function tokensOf(p) {
	const t = [];
	if (p.id_number) t.push(['id_number', p.id_number], ['id_number (masked)', maskId(p.id_number)]);
	if (p.phone) t.push(['phone', p.phone], ['phone (masked)', maskPhone(p.phone)]);
	if (p.name && [...p.name].length >= 2) t.push(['name', p.name]);
	return t;
}

/* A scanner for one reader: every token of the people it may not see that no person it may
 * see shares (two residents may have one name or one masked phone), and of the people it may
 * see, the full ID number and phone where its role sees them masked (see: {id, phone}). */
export function forbiddenScanner(people, mayNotSee, see = { id: true, phone: true }) {
	const seen = new Set();
	for (const p of people) if (!mayNotSee(p)) for (const [, v] of tokensOf(p)) seen.add(v);
	const bad = new Map();
	for (const p of people)
		if (mayNotSee(p))
			for (const [field, v] of tokensOf(p)) if (!seen.has(v)) bad.set(v, { field, person: p });
	for (const p of people) {
		if (mayNotSee(p)) continue;
		if (!see.id && p.id_number) bad.set(p.id_number, { field: 'id_number (unmasked, in scope)', person: p });
		if (!see.phone && p.phone) bad.set(p.phone, { field: 'phone (unmasked, in scope)', person: p });
	}
	return (text) => scanText(text, bad);
}

const TOKEN_RES = [
	/(?<![0-9])[0-9]{17}[0-9X](?![0-9])/g, // an ID number
	/(?<![0-9*])[0-9]{6}\*{8}[0-9]{3}[0-9X](?![0-9])/g, // a masked one
	/(?<![0-9])1[0-9]{10}(?![0-9])/g, // a phone
	/(?<![0-9*])1[0-9]{2}\*{4}[0-9]{4}(?![0-9])/g, // a masked one
	/[\u3400-\u9fff·]{2,}/g, // a run of Chinese characters: a name is one whole
];

/* The first forbidden token in text: {field, value, person} or null. */
function scanText(text, bad) {
	if (!text) return null;
	for (const re of TOKEN_RES) {
		re.lastIndex = 0;
		let m;
		while ((m = re.exec(text))) {
			const hit = bad.get(m[0]);
			if (hit) return { ...hit, value: m[0] };
		}
	}
	return null;
}

/* The text of a reply body to scan: an XLSX (a zip) is unzipped and its XML read. */
export function bodyText(bytes) {
	if (bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fk-leak-'));
		const f = path.join(dir, 'reply.xlsx');
		try {
			fs.writeFileSync(f, bytes);
			return execFileSync('unzip', ['-p', f, '*.xml'], { maxBuffer: 64 << 20 }).toString('utf8');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
	return bytes.toString('utf8');
}

/* GET as client, the body as bytes and as text to scan. */
export async function getRaw(client, urlPath) {
	const headers = client.cookie ? { cookie: client.cookie } : {};
	const res = await fetch(client.base + urlPath, { headers, redirect: 'manual' });
	const bytes = Buffer.from(await res.arrayBuffer());
	const text = bodyText(bytes);
	let json = null;
	if ((res.headers.get('content-type') || '').includes('json'))
		try {
			json = JSON.parse(text);
		} catch {
			/* scanned as text */
		}
	return { status: res.status, text, json, error: json && json.error,
		what: `${client.username} GET ${urlPath} -> ${res.status} ${text.slice(0, 300)}` };
}

/* ---------------- CSV ---------------- */

/* Rows of a CSV reply (RFC 4180 quoting, a leading BOM dropped) as objects by header key. */
export function csvObjects(text, keys) {
	const rows = [];
	let row = [], field = '', quoted = false;
	const s = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '"' && s[i + 1] === '"') (field += '"'), i++;
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') row.push(field), (field = '');
		else if (c === '\n') row.push(field.replace(/\r$/, '')), rows.push(row), (row = []), (field = '');
		else field += c;
	}
	if (field || row.length) row.push(field), rows.push(row);
	rows.shift(); // the heading
	return rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]])));
}

/* ---------------- a small pool ---------------- */

/* Runs fn over items, n at a time; resolves when all have ended. */
export async function pool(items, n, fn) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
