// openapi: docs/openapi.yaml and the router agree. Every route `fangkong routes --json` lists
// is documented (method and path), and every documented operation exists. The YAML is read
// with a small line reader: paths at two spaces, methods at four, as the file is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { runCli, noSanitizerReport } from './lib/harness.mjs';

const SPEC = new URL('../../docs/openapi.yaml', import.meta.url);
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/* {"GET /api/v1/areas/{id}": {summary, line}} from the paths block. */
function documented(text) {
	const ops = new Map();
	let inPaths = false;
	let path = null;
	text.split('\n').forEach((raw, i) => {
		const line = raw.replace(/\s+$/, '');
		if (!line || /^\s*#/.test(line)) return;
		if (/^\S/.test(line)) {
			inPaths = line === 'paths:';
			path = null;
			return;
		}
		if (!inPaths) return;
		let m = /^ {2}(['"]?)(\/[^'":]*)\1:$/.exec(line);
		if (m) {
			path = m[2];
			return;
		}
		m = /^ {4}([a-z]+):$/.exec(line);
		if (m && path && METHODS.has(m[1])) {
			const key = `${m[1].toUpperCase()} ${path}`;
			assert.ok(!ops.has(key), `${key} documented twice (line ${i + 1})`);
			ops.set(key, { line: i + 1 });
		}
	});
	return ops;
}

async function routes() {
	const r = await runCli(['routes', '--json']);
	assert.equal(r.status, 0, `fangkong routes --json failed: ${r.stderr}`);
	noSanitizerReport(r.stderr, 'fangkong routes');
	const j = JSON.parse(r.stdout);
	const list = Array.isArray(j) ? j : j.routes;
	assert.ok(Array.isArray(list) && list.length > 0, `no routes in: ${r.stdout.slice(0, 300)}`);
	return list;
}

test('fangkong routes --json lists method, path, roles and summary of each route', async () => {
	for (const rt of await routes()) {
		assert.match(rt.method, /^(GET|POST|PUT|PATCH|DELETE)$/, JSON.stringify(rt));
		assert.match(rt.path, /^\//, JSON.stringify(rt));
		assert.ok(typeof rt.summary === 'string' && rt.summary.length > 0, `no summary: ${JSON.stringify(rt)}`);
		assert.ok('roles' in rt, `no roles: ${JSON.stringify(rt)}`);
	}
});

test('every route is documented in docs/openapi.yaml', async () => {
	const ops = documented(fs.readFileSync(SPEC, 'utf8'));
	const missing = (await routes()).map((r) => `${r.method} ${r.path}`).filter((k) => !ops.has(k));
	assert.deepEqual(missing, [], 'routes missing from docs/openapi.yaml');
});

test('every documented operation is a route', async () => {
	const ops = documented(fs.readFileSync(SPEC, 'utf8'));
	assert.ok(ops.size > 0, 'no operations found under paths:');
	const known = new Set((await routes()).map((r) => `${r.method} ${r.path}`));
	const extra = [...ops.keys()].filter((k) => !known.has(k));
	assert.deepEqual(extra, [], 'documented in docs/openapi.yaml but not served');
});

/* [{code, name, status, key}] from components.x-error-codes, one flow mapping a line. */
function documentedCodes(text) {
	const rows = [];
	let inTable = false;
	for (const raw of text.split('\n')) {
		if (/^ {2}x-error-codes:$/.test(raw)) {
			inTable = true;
			continue;
		}
		if (!inTable || /^\s*#/.test(raw)) continue;
		const m = /^ {4}- \{code: (-?\d+), name: (\w+), status: (\d+), key: (\w+), meaning: "[^"]+"\}$/.exec(raw);
		if (!m) break;
		rows.push({ code: Number(m[1]), name: m[2], status: Number(m[3]), key: m[4] });
	}
	return rows;
}

test('docs/openapi.yaml lists the table of error codes the server answers with', async () => {
	const r = await runCli(['errors', '--json']);
	assert.equal(r.status, 0, `fangkong errors --json failed: ${r.stderr}`);
	noSanitizerReport(r.stderr, 'fangkong errors');
	const served = JSON.parse(r.stdout)
		.filter((c) => c.code !== 0)
		.map(({ code, name, status, key }) => ({ code, name, status, key }));
	assert.ok(served.length >= 11, `too few codes: ${r.stdout}`);
	assert.deepEqual(documentedCodes(fs.readFileSync(SPEC, 'utf8')), served);
});

test('docs/openapi.yaml is OpenAPI 3 with info, components and an error schema', () => {
	const text = fs.readFileSync(SPEC, 'utf8');
	assert.match(text, /^openapi: 3\.\d+\.\d+$/m);
	assert.match(text, /^info:$/m);
	assert.match(text, /^components:$/m);
	assert.match(text, /^ {4}Error:$/m);
	assert.doesNotMatch(text, /\t/, 'tabs in YAML');
});
