// Takes the screenshots in docs/screenshots/ (desktop 1280 px and phone 375 px) from a running
// server: node tests/browser/screenshots.mjs http://127.0.0.1:8080
// Not a test; run by hand after changing a screen.
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

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
await shoot(browser, 'home-phone', 'grid1', '/', phone);
await browser.close();
console.log('screenshots written to', out);
