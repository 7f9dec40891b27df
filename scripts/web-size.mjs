#!/usr/bin/env node
// web-size: what a phone downloads to open the login page and the registrar's desk, from the
// build's manifest (web/dist/.vite/manifest.json): the entry, each screen's chunk and every
// chunk and stylesheet they import statically, each file counted once, gzip-compressed as the
// network carries it. Prints each page's files and fails (exit 1) when the two pages together
// pass the budget of the field app (SPEC: under 300 kB gzip).
//   node scripts/web-size.mjs [web/dist] [--budget-kb 300]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const PAGES = {
	login: ['src/modules/auth/LoginPage.vue'],
	registrar: ['src/layout/AppLayout.vue', 'src/modules/testing/RegistrarPage.vue'],
};

function args(argv) {
	const out = { dist: 'web/dist', budgetKb: 300 };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--budget-kb') out.budgetKb = Number(argv[++i]);
		else out.dist = argv[i];
	}
	if (!(out.budgetKb > 0)) throw new Error('--budget-kb: a positive number of kB');
	return out;
}

function readManifest(dist) {
	const file = path.join(dist, '.vite', 'manifest.json');
	if (!fs.existsSync(file)) throw new Error(`${file}: no build manifest (build with manifest: true)`);
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/* The files a chunk needs before it runs: itself, its CSS, and its static imports, recursively. */
function closure(manifest, keys, files = new Set(), seen = new Set()) {
	for (const key of keys) {
		if (seen.has(key)) continue;
		seen.add(key);
		const chunk = manifest[key];
		if (!chunk) throw new Error(`${key}: not in the build manifest (a screen moved?)`);
		files.add(chunk.file);
		for (const css of chunk.css || []) files.add(css);
		closure(manifest, chunk.imports || [], files, seen);
	}
	return files;
}

const gzipSize = (dist, file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' kB';

function main() {
	const { dist, budgetKb } = args(process.argv.slice(2));
	const manifest = readManifest(dist);
	const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
	const all = new Set();
	for (const [page, screens] of Object.entries(PAGES)) {
		const files = closure(manifest, [entry, ...screens]);
		let total = 0;
		for (const f of files) total += gzipSize(dist, f);
		console.log(`${page.padEnd(10)} ${kb(total)} gzip in ${files.size} files`);
		files.forEach((f) => all.add(f));
	}
	let total = 0;
	for (const f of [...all].sort()) {
		const n = gzipSize(dist, f);
		total += n;
		console.log(`  ${kb(n)}  ${f}`);
	}
	const verdict = total <= budgetKb * 1024 ? 'ok' : 'OVER';
	console.log(`login + registrar: ${kb(total).trim()} gzip (budget ${budgetKb} kB): ${verdict}`);
	if (verdict !== 'ok') process.exit(1);
}

try {
	main();
} catch (e) {
	console.error(`web-size: ${e.message}`);
	process.exit(2);
}
