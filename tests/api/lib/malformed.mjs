// malformed: the operations of docs/openapi.yaml and, for each, the malformed requests to send.
// An operation's body fields are the documented properties of its JSON request body, merged
// with the body schema of its route (`fangkong routes --json`, which the server checks: the
// type and range come from there when both name a field). Each variant carries what it tests
// (kind), the field or parameter at fault (if one is), and whether the server must refuse it.
import fs from 'node:fs';
import YAML from 'yaml';

const SPEC = new URL('../../../docs/openapi.yaml', import.meta.url);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/* An id no store holds: in range for int64, so it is looked up (and not found). */
export const NO_ID = '8999999999999999999';
/* A value for a path parameter that is not an id: looked up, and not found. */
const NO_CODE = 'NOSUCHCODE99';

export function loadSpec() {
	return YAML.parse(fs.readFileSync(SPEC, 'utf8'));
}

function deref(doc, s) {
	for (let n = 0; s && s.$ref && n < 10; n++)
		s = s.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o && o[k], doc);
	return s || null;
}

/* The server's field type (routes --json) from an OpenAPI property. */
function typeOf(p) {
	if (!p) return 'any';
	if (p.type === 'integer') return 'integer';
	if (p.type === 'number') return 'number';
	if (p.type === 'boolean') return 'boolean';
	if (p.type === 'object') return 'object';
	if (p.type === 'array') return p.items && p.items.type === 'string' ? 'strings' : 'array';
	if (p.type === 'string') return 'string';
	return 'any';
}

/* [{name, type, required, nullable, max_len, minimum, maximum, documented}] for a body. */
function bodyFields(doc, schema, route) {
	const byName = new Map();
	const s = deref(doc, schema);
	const required = new Set((s && s.required) || []);
	for (const [name, raw] of Object.entries((s && s.properties) || {})) {
		const p = deref(doc, raw);
		byName.set(name, {
			name, type: typeOf(p), required: required.has(name), nullable: !!(p && p.nullable),
			max_len: (p && (p.maxLength || p.maxItems)) || 0, minimum: p && p.minimum,
			maximum: p && p.maximum, documented: true, enum: p && p.enum, format: p && p.format,
			example: p && p.example,
		});
	}
	for (const f of (route && route.fields) || []) {
		const d = byName.get(f.name) || { documented: false };
		byName.set(f.name, { ...d, ...f, required: f.required || !!d.required });
	}
	return [...byName.values()];
}

function params(doc, item, op) {
	const out = [];
	for (const raw of [...(item.parameters || []), ...(op.parameters || [])]) {
		const p = deref(doc, raw);
		if (!p || (p.in !== 'path' && p.in !== 'query')) continue;
		const sch = deref(doc, p.schema) || {};
		out.push({ name: p.name, in: p.in, type: sch.type || 'string', enum: sch.enum,
			minimum: sch.minimum, maximum: sch.maximum, required: !!p.required });
	}
	return out;
}

/* Every documented operation: {key, method, path, params, body: 'json'|'raw'|null, fields,
 * docFields (the spec's alone), documentedBody, route, stream}. routes is the list of `fangkong routes --json`. */
export function operations(doc, routes) {
	const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
	const ops = [];
	for (const [path, item] of Object.entries(doc.paths)) {
		for (const m of METHODS) {
			const op = item[m];
			if (!op) continue;
			const method = m.toUpperCase();
			const key = `${method} ${path}`;
			const route = byKey.get(key) || null;
			const content = (op.requestBody && op.requestBody.content) || {};
			const jsonSchema = content['application/json'] && content['application/json'].schema;
			const body = route ? route.body : jsonSchema ? 'json' : Object.keys(content).length ? 'raw' : null;
			const ok = op.responses && op.responses['200'] && op.responses['200'].content;
			ops.push({
				key, method, path, route, body,
				params: params(doc, item, op),
				fields: body === 'json' ? bodyFields(doc, jsonSchema, route) : [],
				docFields: body === 'json' ? bodyFields(doc, jsonSchema, null) : [],
				documentedBody: !!jsonSchema,
				stream: !!(ok && ok['text/event-stream']),
			});
		}
	}
	return ops;
}

/* ---------------- values ---------------- */

const HOUR_AHEAD = new Date(Date.now() + 3600e3).toISOString();
const TODAY = HOUR_AHEAD.slice(0, 10);

/* A plausible text for a field: its first documented value, else by its format or name. */
function baseText(f) {
	if (f.enum && f.enum.length) return f.enum[0];
	if (typeof f.example === 'string') return f.example;
	if (f.format === 'date-time' || /_at$/.test(f.name)) return HOUR_AHEAD;
	if (f.format === 'date' || /(^|_)day$/.test(f.name)) return TODAY;
	if (f.name === 'client_key') return 'malformed-client-key-0001';
	if (/phone$/.test(f.name)) return '13900000000';
	return 'x';
}

function baseValue(f) {
	switch (f.type) {
	case 'id': return NO_ID;
	case 'ids': return [NO_ID];
	case 'integer':
	case 'number': return f.minimum !== undefined ? f.minimum : 1;
	case 'boolean': return true;
	case 'object': return {};
	case 'array': return [];
	case 'strings': return ['x'];
	case 'string': return baseText(f);
	default: return 'x';
	}
}

/* A body with every field given a plain value (ids that no store holds). */
export function baseBody(op) {
	const b = {};
	for (const f of op.fields) b[f.name] = baseValue(f);
	return b;
}

/* The path with each parameter filled: {id}-like ones with NO_ID, others with a code no store
 * holds; over[name] replaces one (already encoded). */
export function fillPath(op, over = {}) {
	return op.path.replace(/\{(\w+)\}/g, (_, name) => {
		if (name in over) return over[name];
		return /(^|_)id$/.test(name) ? NO_ID : NO_CODE;
	});
}

/* A request is anchored when it names something no store holds (a path parameter, or a
 * required id in the body): a valid body then still changes nothing. */
export function anchored(op) {
	return /\{\w+\}/.test(op.path) || op.fields.some((f) => f.required && (f.type === 'id' || f.type === 'ids'));
}

const WRONG = {
	string: [1, true, {}, [], ['x']],
	integer: ['1', true, {}, [], 1.5],
	number: ['1', true, {}, []],
	id: [true, {}, [], 1.5, 'abc', '0', '-1', '99999999999999999999', ''],
	ids: ['1', 1, {}, [true], [{}], ['abc'], ['0']],
	boolean: ['true', 1, 0, {}, []],
	object: ['x', 1, true, []],
	array: ['x', 1, true, {}],
	strings: ['x', 1, true, {}, [1], [null], [{}]],
	any: [],
};

const MB = 1_000_000;
const VALID_TEXT = {
	rtl: '\u202eevil\u202c \u05e9\u05dc\u05d5\u05dd',
	zero_width: 'a\u200bb\u200c\u200d\ufeffc',
	emoji: '\u{1F637}\u{1F489}\u{1F9EA}',
};

/* Odd values a field's type allows: the largest id, empty and blank text, impossible dates,
 * the ends of a range. */
const TIMES = ['2026-02-30', '2026-13-01T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z',
	'1970-01-01T00:00:00.000Z', '2026-12-07T25:61:61+99:00', 'P99999999Y', '-1'];
function edgeValues(f) {
	switch (f.type) {
	case 'id': return ['9223372036854775807', 9007199254740993];
	case 'ids': return [['9223372036854775807'], Array(3).fill(NO_ID)];
	case 'integer':
	case 'number': return f.minimum !== undefined ? [f.minimum, f.maximum, -0] : [0, -0];
	case 'string': return ['', '   ', '\u3000', 'a'.repeat(f.max_len || 1024),
		'\u{1F637}'.repeat(Math.floor((f.max_len || 1024) / 4)), ...(/(_at|day|date|week|from|to|until|since|time)$/.test(f.name) ? TIMES : []),
		"' OR 1=1 --", '../../etc/passwd', '<script>alert(1)</script>', '%00%s%n'];
	case 'strings': return [[''], Array(5).fill('x'), ['\u{1F637}']];
	default: return [];
	}
}

/* Query text a search or a cursor may get. */
const QUERY_EDGES = ['', ' ', 'AAAA!!!', '9223372036854775807', '2026-02-30', '9999-12-31T23:59:59Z',
	"' OR 1=1 --", '%_\\', '*', '\u3000', 'a'.repeat(4000), '\u{1F637}'.repeat(500)];

/* JSON text of obj with "__RAW__" replaced by raw (a piece of JSON text, not escaped). */
function withRaw(obj, raw) {
	return JSON.stringify(obj).replace('"__RAW__"', raw);
}

/* The variants for op. Each: {kind, field?, body? (string|Buffer), type?, path, query?,
 * mustRefuse, emptyOk?}. cap is the route's body limit (bytes). */
export function variants(op, cap) {
	const out = [];
	const isWrite = op.method !== 'GET';
	const base = baseBody(op);
	const path = fillPath(op);
	const canAccept = anchored(op) || !isWrite;
	const json = (kind, field, obj, mustRefuse = true) =>
		out.push({ kind, field, path, body: typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj),
			type: 'application/json', mustRefuse });

	if (op.body === 'json') {
		for (const f of op.fields) {
			if (f.required) {
				const b = { ...base };
				delete b[f.name];
				json('missing', f.name, b);
			}
			for (const w of WRONG[f.type] || []) json('wrong_type', f.name, { ...base, [f.name]: w });
			if (!f.nullable && f.type !== 'any') json('wrong_type', f.name, { ...base, [f.name]: null });
			if (f.type === 'integer' || f.type === 'number') {
				const lo = f.minimum !== undefined ? f.minimum : 0;
				const hi = f.maximum !== undefined ? f.maximum : 1e15;
				json('range', f.name, { ...base, [f.name]: lo - 1 });
				json('range', f.name, { ...base, [f.name]: hi + 1 });
				json('range', f.name, { ...base, [f.name]: -1e300 });
				json('range', f.name, { ...base, [f.name]: 1e300 });
				json('range', null, withRaw({ ...base, [f.name]: '__RAW__' }, '1e309'));
				json('range', null, withRaw({ ...base, [f.name]: '__RAW__' }, '99999999999999999999'));
				json('range', null, withRaw({ ...base, [f.name]: '__RAW__' }, '-99999999999999999999'));
				if (f.type === 'integer') json('range', f.name, { ...base, [f.name]: lo + 0.5 });
			}
			if (f.type === 'string' || f.type === 'any') {
				const max = f.max_len || 1024;
				json('oversize', f.name, { ...base, [f.name]: 'a'.repeat(max + 1) });
				json('oversize', f.name, { ...base, [f.name]: '\u{1F637}'.repeat(Math.floor(max / 4) + 1) });
				json('unicode', null, withRaw({ ...base, [f.name]: '__RAW__' }, '"a\\u0000b"'));
				json('unicode', null, withRaw({ ...base, [f.name]: '__RAW__' }, '"a\\ud800b"'));
				const text = Buffer.from(withRaw({ ...base, [f.name]: '__RAW__' }, '"a\u0001b"'));
				json('unicode', null, text); /* a raw control character in a string */
				const bad = JSON.stringify({ ...base, [f.name]: '__BAD__' }).split('__BAD__');
				out.push({ kind: 'unicode', path, type: 'application/json', mustRefuse: true,
					body: Buffer.concat([Buffer.from(bad[0]), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(bad[1])]) });
				if (canAccept && f.type === 'string')
					for (const [name, v] of Object.entries(VALID_TEXT))
						out.push({ kind: 'unicode', field: f.name, path, type: 'application/json',
							body: JSON.stringify({ ...base, [f.name]: v }), mustRefuse: false, note: name });
			}
			if (f.type === 'strings') {
				json('oversize', f.name, { ...base, [f.name]: ['a'.repeat(1025)] });
				json('unicode', null, withRaw({ ...base, [f.name]: '__RAW__' }, '["\\u0000"]'));
			}
			if (f.type === 'array' || f.type === 'strings' || f.type === 'ids') {
				const n = (f.max_len || 1000) + 1;
				json('oversize', f.name, { ...base, [f.name]: Array(n).fill(f.type === 'ids' ? NO_ID : 'x') });
			}
		}
		if (op.fields[0])
			json('nesting', null, withRaw({ ...base, [op.fields[0].name]: '__RAW__' }, '['.repeat(10000) + ']'.repeat(10000)));
		/* values that pass the schema and reach the handler: in a request that names
		 * nothing that exists, refused there (a write) without a 5xx */
		if (canAccept) {
			for (const f of op.fields)
				for (const v of edgeValues(f))
					out.push({ kind: 'edge', field: f.name, path, type: 'application/json',
						body: JSON.stringify({ ...base, [f.name]: v }), mustRefuse: false, note: JSON.stringify(v).slice(0, 24) });
		}
		const firstString = op.fields.find((f) => f.type === 'string');
		if (firstString && cap > MB + 4096)
			json('oversize', firstString.name, { ...base, [firstString.name]: 'a'.repeat(MB) });
		json('extra', '__unknown__', { ...base, __unknown__: 1 });
		json('extra', 'Unknown-Field', { ...base, 'Unknown-Field': 'x' });
		json('extra', null, { ...base, ['\u{1F637}\u202e'.repeat(100)]: 1 }); /* a key cut inside a character */
		json('not_json', null, '');
		json('not_json', null, '{');
		json('not_json', null, 'not json');
		json('not_json', null, '[]');
		json('not_json', null, 'null');
		json('not_json', null, '1');
		json('not_json', null, JSON.stringify(base) + JSON.stringify(base));
		json('not_json', null, withRaw({ ...base, __dup__: 1 }, '1').replace('"__dup__"', `"${op.fields[0] ? op.fields[0].name : 'x'}"`));
		json('nesting', null, '['.repeat(10000));
		json('nesting', null, '{"a":'.repeat(10000) + '1' + '}'.repeat(10000));
		out.push({ kind: 'content_type', path, body: 'a=1&b=2', type: 'application/x-www-form-urlencoded', mustRefuse: true });
		out.push({ kind: 'content_type', path, body: 'not json at all', type: 'text/plain', mustRefuse: true });
		out.push({ kind: 'content_type', path, body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), type: 'application/octet-stream', mustRefuse: true });
	} else if (op.body === 'raw' && anchored(op)) {
		/* a file to something that does not exist: refused whatever the bytes */
		const bytes = Buffer.alloc(MB);
		for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
		for (const [body, type] of [[bytes, 'text/csv'], [Buffer.from('a,b\n\0\0\xff\n'), 'text/csv'],
			[Buffer.from([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x0a]), 'application/octet-stream'], ['', 'text/csv']])
			out.push({ kind: 'oversize', path, body, type, mustRefuse: true });
	} else if (op.body === null && isWrite) {
		json('extra', null, { __unknown__: 1 });
		out.push({ kind: 'content_type', path, body: 'a=1', type: 'application/x-www-form-urlencoded', mustRefuse: true });
		json('nesting', null, '['.repeat(10000));
	}
	if (isWrite && (op.body !== 'raw' || cap <= 8 * 1024 * 1024)) {
		/* over the body limit: 413 without the body being read */
		out.push({ kind: 'oversize', path, body: Buffer.alloc(cap + 1, 0x20), type: 'application/json', mustRefuse: true, overLimit: true });
	}

	const carrier = op.body === 'json' ? JSON.stringify(base) : undefined;
	for (const p of op.params) {
		if (p.in === 'path') {
			const bad = ['abc', '0', '-1', '99999999999999999999', '1%00', '%00', '%FF%FE', '%E2%80%AE1',
				'a'.repeat(300), '9'.repeat(9000)];
			for (const v of bad)
				out.push({ kind: 'path', field: p.name, path: fillPath(op, { [p.name]: v }), body: carrier,
					type: carrier && 'application/json', mustRefuse: true });
		} else {
			const numeric = p.type === 'integer' || p.type === 'number';
			const vals = numeric
				? ['abc', '-1', '-99999999999999999999', '99999999999999999999', '1e309', '1.5', '', '%00', '0x10']
				: p.type === 'boolean' ? ['maybe', '2', '', '%00']
					: ['%00', '%FF', 'a%00b', '%ED%A0%80', '%E2%80%AE', '%F0%9F%98%B7', 'a'.repeat(9000), ...(p.enum ? ['not-one-of-them'] : [])];
			for (const v of vals) {
				/* a number that is none, out of int64 or below a documented minimum, a value
				 * outside a documented enum, an address over 8 KiB: refused; a text value may
				 * be a search that finds nothing, an empty one stands for none */
				const must = v.length > 8000 || (v !== '' && (p.enum || p.type === 'boolean' ||
					(numeric && (v !== '-1' || (p.minimum !== undefined && p.minimum >= 0)))));
				out.push({ kind: 'query', field: p.name, path: `${path}${path.includes('?') ? '&' : '?'}${p.name}=${v}`,
					body: carrier, type: carrier && 'application/json', mustRefuse: must || isWrite });
			}
		}
	}
	if (!isWrite) out.push({ kind: 'extra', field: null, path: `${path}?__unknown__=1`, mustRefuse: false });
	if (!isWrite) {
		for (const p of op.params.filter((x) => x.in === 'query' && x.type === 'string' && !x.enum))
			for (const v of QUERY_EDGES)
				out.push({ kind: 'edge', field: p.name, path: `${path}${path.includes('?') ? '&' : '?'}${p.name}=${encodeURIComponent(v)}`, mustRefuse: false });
		for (const p of op.params.filter((x) => x.in === 'query' && (x.type === 'integer' || x.type === 'number')))
			for (const v of ['0', '9223372036854775807', '-9223372036854775808', '2147483648'])
				out.push({ kind: 'edge', field: p.name, path: `${path}${path.includes('?') ? '&' : '?'}${p.name}=${v}`, mustRefuse: false });
	}
	return out;
}
