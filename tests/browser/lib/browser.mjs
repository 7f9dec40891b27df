// browser harness: one real `fangkong serve --web` over a fresh demo store per test file, and
// Debian's Chromium driven by playwright-core. A failing test leaves a screenshot in
// test-results/<file>-<test>.png. browserHarness(label, { testClock: true }) starts serve with
// the test clock (--test-clock; every process runs with FANGKONG_TEST_MODE=1), which an admin moves through
// POST /api/v1/test/clock (moveClock in ../../api/lib/harness.mjs). The app's service worker
// is blocked unless the file asks for it ({ serviceWorker: true }: the offline app's own
// tests): elsewhere it would only precache the whole app again in every test's fresh context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { runCli, PASSWORD, noSanitizerReport, createStore, TEST_ENV } from '../../api/lib/harness.mjs';

export { PASSWORD };
// A phone's viewport, for the pages staff and residents use on their phones.
export const PHONE = { width: 375, height: 740 };

// The JSON of a setup call that must succeed (200 or 201); fails the test naming the call.
export function ok(r) {
	assert.ok([200, 201].includes(r.status), r.what);
	return r.json;
}

// fn run once, on first use: a test file's fixtures, made by whichever test comes first.
export function once(fn) {
	let made = null;
	return () => (made ||= fn());
}
const RESULTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../test-results');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function browserHarness(label, { testClock = false, serviceWorker = false } = {}) {
	const h = { base: null, browser: null, proc: null, stderr: '' };
	let tmpdir;
	let store;

	before(async () => {
		assert.ok(process.env.FK_BIN, 'FK_BIN must name the fangkong binary');
		assert.ok(process.env.FK_WEB && fs.existsSync(path.join(process.env.FK_WEB, 'index.html')),
			'FK_WEB must name the built web app (web/dist)');
		tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), `fk-web-${label}-`));
		store = createStore(label, tmpdir); // FK_STORE=sqlite (default) or postgres
		const db = store.url;
		const demo = await runCli(['demo', '--db', db, '--residents', '2000', '--seed', '1', '--password', PASSWORD]);
		assert.equal(demo.status, 0, demo.stderr);
		const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', process.env.FK_WEB];
		if (testClock) args.push('--test-clock');
		h.proc = spawn(process.env.FK_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: TEST_ENV });
		h.proc.stderr.on('data', (d) => (h.stderr += d));
		const port = await new Promise((resolve, reject) => {
			let out = '';
			const timer = setTimeout(() => reject(new Error('serve did not start: ' + h.stderr)), 30_000);
			h.proc.stdout.on('data', (d) => {
				out += d;
				const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
				if (m) { clearTimeout(timer); resolve(Number(m[1])); }
			});
		});
		h.base = `http://127.0.0.1:${port}`;
		h.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true,
			env: { ...process.env, HOME: tmpdir } });
	}, { timeout: 180_000 });

	after(async () => {
		if (h.browser) await h.browser.close();
		if (h.proc) {
			h.proc.kill('SIGTERM');
			await new Promise((r) => h.proc.on('exit', r));
			noSanitizerReport(h.stderr, 'fangkong serve');
		}
		store && store.drop();
	});

	/* A fresh page (own cookies) of the given viewport; failures screenshot it. */
	h.test = (name, fn, { width = 1280, height = 800 } = {}) =>
		test(name, async () => {
			const context = await h.browser.newContext({ viewport: { width, height }, locale: 'zh-CN',
				serviceWorkers: serviceWorker ? 'allow' : 'block' });
			const page = await context.newPage();
			const refused = []; /* what the page's Content-Security-Policy blocked */
			page.on('console', (m) => {
				if (m.type() === 'error' && /Content Security Policy/.test(m.text())) refused.push(m.text());
			});
			page.setDefaultTimeout(15_000);
			try {
				await fn(page);
				assert.deepEqual(refused, [], 'the page broke its Content-Security-Policy');
			} catch (e) {
				fs.mkdirSync(RESULTS, { recursive: true });
				const file = path.join(RESULTS, `${label}-${name.replace(/[^a-z0-9]+/gi, '_')}.png`);
				await page.screenshot({ path: file, fullPage: true }).catch(() => {});
				e.message += `\nscreenshot: ${file}`;
				throw e;
			} finally {
				await context.close();
			}
		});

	/* Logs in through the login screen and waits for the home screen. */
	h.login = async (page, username, password = PASSWORD) => {
		await page.goto(h.base + '/login');
		await page.fill('#username', username);
		await page.fill('#password', password);
		await page.click('button[type=submit]');
		await page.waitForSelector('[data-test=logout]');
	};

	/* Logs out through the menu and waits for the login screen: the next login must not race
	 * the logout still on its way (the app keeps the user on the phone until the server says
	 * the session is gone). */
	h.logout = async (page) => {
		await page.click('[data-test=logout]');
		await page.waitForURL(/\/login/);
	};

	return h;
}
