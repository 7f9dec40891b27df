// Takes the screenshots in docs/screenshots/ (desktop 1280 px and phone 375 px) from a running
// server: node tests/browser/screenshots.mjs http://127.0.0.1:8080
// Not a test; run by hand after changing a screen. For the testing screens it first adds a
// demo testing round with some tubes scanned and resulted (lib/demo-round.mjs) to the demo
// district, unless that round is there already.
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { Client } from '../api/lib/harness.mjs';
import { demoRound } from './lib/demo-round.mjs';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../docs/screenshots');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run'];

async function shoot(browser, name, user, route, viewport, before) {
	const context = await browser.newContext({ viewport, locale: 'zh-CN' });
	const page = await context.newPage();
	await page.goto(base + '/login');
	if (user) {
		await page.fill('#username', user);
		await page.fill('#password', process.env.FK_PASSWORD || 'Demo-pass-1');
		await page.click('button[type=submit]');
		await page.waitForSelector('[data-test=logout]');
		await page.goto(base + route);
	}
	await page.waitForLoadState('networkidle');
	if (before) await before(page);
	await page.waitForTimeout(300);
	await page.screenshot({ path: path.join(out, name + '.png') });
	await context.close();
}

const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 740 };
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
await shoot(browser, 'login-desktop', null, '/login', desktop);
await shoot(browser, 'login-phone', null, '/login', phone);
await shoot(browser, 'people-desktop', 'community1', '/people', desktop);
await shoot(browser, 'people-phone', 'grid1', '/people', phone);
await shoot(browser, 'person-desktop', 'community1', '/people', desktop, async (page) => {
	await page.locator('[data-test=people-table] .el-table__row').first().click();
	await page.waitForSelector('[data-test=id-number]');
});
await shoot(browser, 'areas-desktop', 'admin', '/areas', desktop, async (page) => {
	await page.click('[data-test=area-tree] >> text=崂山区');
	await page.waitForSelector('[data-test=area-detail]');
	await page.click('[data-test=area-tree] .el-tree-node__expand-icon >> nth=0');
	await page.waitForTimeout(300);
});
await shoot(browser, 'import-desktop', 'community1', '/people/import', desktop);
await shoot(browser, 'users-desktop', 'admin', '/users', desktop);
await shoot(browser, 'policies-desktop', 'admin', '/policies', desktop);
await shoot(browser, 'home-phone', 'grid1', '/', phone);

const round = await demoRound(base, process.env.FK_PASSWORD || 'Demo-pass-1');
const community = new Client(base, 'community1');
await community.login('community1', process.env.FK_PASSWORD || 'Demo-pass-1');
const area = (await community.get('/api/v1/areas', { query: { q: '370212001001' } })).json.items.find((a) => a.code === '370212001001');
// four residents not sampled yet, into a new tube
const missing = (await community.get(`/api/v1/rounds/${round.id}/missing`, { query: { area_id: area.id, limit: 4 } })).json.items;
const residents = [];
for (const p of missing) residents.push((await community.get(`/api/v1/people/${p.id}`)).json);
await shoot(browser, 'register-phone', 'registrar1', '/testing/register', phone, async (page) => {
	await page.waitForFunction(() => document.querySelector('[data-test=desk-site]').value !== '');
	await page.keyboard.type(`ZC01-${Date.now() % 100000}\n`);
	await page.waitForFunction(() => document.querySelector('[data-test=tube-state]').innerText === '采样中');
	for (const p of residents.slice(0, 4)) await page.keyboard.type(p.id_number + '\n');
	await page.waitForFunction(() => document.querySelector('[data-test=tube-count]').innerText === '4/10');
	await page.waitForFunction(() => document.querySelector('[data-test=queued]').innerText.endsWith(' 0'));
});
await shoot(browser, 'dashboard-desktop', 'commander', '/dashboard', desktop, async (page) => {
	await page.waitForSelector('[data-test=area-map] canvas');
	await page.waitForSelector('[data-test=round-curve] canvas');
});
await shoot(browser, 'dashboard-big', 'commander', '/screen', { width: 1920, height: 1080 }, async (page) => {
	await page.waitForSelector('[data-test=area-map] canvas');
});
await shoot(browser, 'coverage-desktop', 'commander', `/testing/coverage?round=${round.id}`, desktop, async (page) => {
	await page.waitForSelector('[data-test=coverage-chart] canvas');
});
await shoot(browser, 'door-phone', 'grid1', '/testing/door', phone);
await shoot(browser, 'lab-desktop', 'lab1', '/testing/lab', desktop);
await browser.close();
console.log('screenshots written to', out);
