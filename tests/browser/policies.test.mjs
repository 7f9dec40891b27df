// The policies screen: the admin changes the default pool size with a reason and sees the new
// version and its history; a change that breaks a rule between policies is refused, naming the
// policy; the rounds screen then offers the new default, read from the server.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('policies');

async function openPolicies(page) {
	await h.login(page, 'admin');
	await page.click('text=防控策略');
	await page.waitForSelector('[data-test=policy-group-testing]');
	assert.match(await page.textContent('[data-test=policy-version]'), /第 0 版/);
}

h.test('an edit that breaks a rule between policies is refused naming it', async (page) => {
	await openPolicies(page);
	// 20 in 1 is still the pool size of precaution zones: the allowed sizes must keep it
	await page.click('[data-test="policy-choice-testing.pool_sizes-20"]');
	await page.fill('[data-test=policy-reason]', '暂停 20 混 1');
	await page.click('[data-test=policy-save]');
	await page.waitForSelector('[data-test=policy-error]');
	assert.match(await page.textContent('[data-test=policy-error]'), /testing\.pool_by_group/);
	assert.match(await page.textContent('[data-test=policy-version]'), /第 0 版/);
	assert.match(await page.textContent('[data-test=policy-history]'), /暂无数据|No data/);
});

h.test('the admin changes the default pool size with a reason and sees it in the history', async (page) => {
	await openPolicies(page);
	await page.click('[data-test="policy-input-testing.pool_default"]');
	await page.locator('.el-select-dropdown__item:visible', { hasText: /^\s*5\s*$/ }).click();
	await page.fill('[data-test=policy-reason]', '按第九版方案调整为 5 混 1');
	await page.click('[data-test=policy-save]');
	await page.waitForSelector('[data-test=policy-version]:has-text("第 1 版")');
	const history = await page.textContent('[data-test=policy-history]');
	assert.match(history, /按第九版方案调整为 5 混 1/);
	assert.match(history, /新建轮次的默认混采比例: 10 → 5/);
	assert.match(history, /admin/);
});

h.test('the rounds screen offers the pool sizes and the default the policies name', async (page) => {
	await h.login(page, 'commander');
	await page.click('text=检测轮次');
	await page.click('[data-test=round-new]');
	await page.waitForSelector('[data-test=round-pool] .is-active');
	assert.equal((await page.textContent('[data-test=round-pool] .is-active')).trim(), '5混1');
	const options = await page.$$eval('[data-test=round-pool] label', (ls) => ls.map((l) => l.textContent.trim()));
	assert.deepEqual(options, ['单采', '5混1', '10混1', '20混1']);
});
