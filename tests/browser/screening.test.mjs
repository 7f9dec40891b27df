// Screening on screen: a returnee opens a campaign's public link on a phone (no login), switches
// the form to English and back, is told a wrong phone number on its field, then registers; the
// grid worker finds them on the campaign's registrations list, makes them a key person with a
// call plan, and on the phone's call list sees them due today as a returnee and logs the call.
import assert from 'node:assert/strict';
import { browserHarness, PHONE, ok, once } from './lib/browser.mjs';
import { Client, areaByCode, makeId } from '../api/lib/harness.mjs';

const h = browserHarness('screening');
const fx = {};

const setup = once(makeFixtures);
async function makeFixtures() {
	const community = new Client(h.base, 'community1');
	assert.equal((await community.login('community1')).status, 200);
	const area = await areaByCode(community, '370212001001');
	fx.b01 = await areaByCode(community, '370212001001G01B01');
	fx.campaign = ok(await community.post('/api/v1/screening/campaigns', {
		name: '外地返青登记', area_id: area.id, criteria: '自外地返回人员', from_day: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
	}));
	fx.grid = new Client(h.base, 'grid1');
	assert.equal((await fx.grid.login('grid1')).status, 200);
}

h.test('a returnee registers through the public link on a phone, with no login', async (page) => {
	await setup();
	await page.goto(h.base + fx.campaign.public_url);
	await page.waitForSelector('[data-test=public-name]');
	assert.equal(await page.textContent('[data-test=public-name]'), '外地返青登记');
	assert.equal(await page.locator('[data-test=logout]').count(), 0, 'the public form shows the staff layout');
	// English and back.
	await page.selectOption('[data-test=lang]', 'en');
	await page.waitForFunction(() => document.querySelector('[data-test=reg-submit]').innerText.includes('Register'));
	await page.selectOption('[data-test=lang]', 'zh-CN');
	await page.waitForFunction(() => document.querySelector('[data-test=reg-submit]').innerText.includes('提交登记'));
	const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(width <= 0, `the form is ${width}px wider than the phone`);

	await page.fill('[data-test=reg-name] input', '返乡浏览器');
	await page.fill('[data-test=reg-id] input', makeId('19920202', 777));
	await page.fill('[data-test=reg-phone] input', '1390000');
	await page.fill('[data-test=reg-from] input', '杭州市');
	await page.click('[data-test=reg-code-yellow]');
	await page.selectOption('[data-test=reg-area]', fx.b01.id);
	await page.fill('[data-test=reg-room] input', '3-502');
	await page.click('[data-test=reg-submit]');
	await page.waitForSelector('text=手机号码不正确');
	await page.fill('[data-test=reg-phone] input', '13900007777');
	await page.click('[data-test=reg-submit]');
	await page.waitForSelector('[data-test=public-done]');
	assert.match(await page.textContent('[data-test=public-done]'), /登记成功/);
}, PHONE);

h.test('an unknown link says so', async (page) => {
	await page.goto(h.base + '/s/' + '0'.repeat(64));
	await page.waitForSelector('[data-test=public-error]');
	assert.match(await page.textContent('[data-test=public-error]'), /无效|停止/);
}, PHONE);

h.test('the grid worker sees the registration and gives a call plan', async (page) => {
	await setup();
	const regs = ok(await fx.grid.get(`/api/v1/screening/campaigns/${fx.campaign.id}/registrations`)).items;
	fx.reg = regs.find((r) => r.person.name === '返乡浏览器');
	assert.ok(fx.reg, 'the public registration is not listed for grid1');
	await h.login(page, 'grid1');
	await page.goto(h.base + '/screening');
	await page.click(`[data-test=campaigns-table] >> text=外地返青登记`);
	await page.waitForSelector('[data-test=registrations-table] >> text=返乡浏览器');
	const row = page.locator('[data-test=registrations-table] .el-table__row', { hasText: '返乡浏览器' });
	assert.match(await row.innerText(), /杭州市/);
	assert.match(await row.innerText(), /本人登记/);
	assert.equal(await page.locator('[data-test=campaign-qr]').evaluate((img) => img.complete && img.naturalWidth > 0), true,
		'the QR code did not load');
	await page.click(`[data-test=plan-${fx.reg.id}]`);
	await page.click('[data-test=plan-save]');
	await page.waitForSelector('text=已设置随访计划');
	const days = page.locator(`[data-test=plan-days-${fx.reg.id}]`);
	await days.waitFor();
	assert.match(await days.innerText(), /^14 天 /);
	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	assert.ok((await days.getAttribute('title')).startsWith(today), 'the plan does not start today');
});

h.test('the call list on the phone: the returnee due today, a call logged', async (page) => {
	await setup();
	await h.login(page, 'grid1');
	await page.goto(h.base + '/calls');
	const card = page.locator(`[data-test=call-${fx.reg.person.id}]`);
	await card.waitFor();
	assert.match(await card.innerText(), /返乡人员/);
	assert.equal(await card.locator(`[data-test=tel-${fx.reg.person.id}]`).getAttribute('href'), 'tel:13900007777');
	await card.locator('[data-test=outcome-reached]').click();
	await card.locator('[data-test=made-reached]').waitFor();
	const calls = ok(await fx.grid.get('/api/v1/calls/today')).items.find((x) => x.person.id === fx.reg.person.id).calls;
	assert.deepEqual(calls.map((c) => c.outcome), ['reached']);
}, PHONE);
