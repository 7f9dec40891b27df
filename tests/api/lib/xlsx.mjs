// xlsx: fetching a binary reply (an XLSX or CSV download) and reading an XLSX workbook's
// cells with read-excel-file (the web app's dependency, read from web/node_modules).
import assert from 'node:assert/strict';
import readXlsxFile from '../../../web/node_modules/read-excel-file/node/index.js';

/* GET path as client, the body as bytes: {status, headers, bytes, text}. */
export async function download(h, client, path, query = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) q.set(k, String(v));
	const url = `${h.base}${path}${q.toString() ? `?${q}` : ''}`;
	const res = await fetch(url, { headers: { cookie: client.cookie } });
	const bytes = Buffer.from(await res.arrayBuffer());
	return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8'),
		what: `${client.username} GET ${path} -> ${res.status} ${bytes.toString('utf8').slice(0, 300)}` };
}

/* The rows of the workbook's first sheet (arrays of cell values, null for empty cells). */
export async function sheetRows(bytes) {
	assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
	const sheets = await readXlsxFile(bytes);
	const first = Array.isArray(sheets) && sheets[0] && sheets[0].data ? sheets[0].data : sheets;
	return first;
}

/* A CSV body's rows (RFC 4180 quoting), the UTF-8 BOM removed. */
export function csvRows(text) {
	assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with a UTF-8 BOM (for Excel)');
	const rows = [];
	let row = [], field = '', quoted = false;
	const s = text.slice(1);
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') { row.push(field); field = ''; }
		else if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
		else field += c;
	}
	assert.equal(field, '', 'the CSV ends with CRLF');
	return rows;
}
