// The admin's screens: the area tree (browse, create a child, rename) and users and roles.
import assert from 'node:assert/strict';
import { browserHarness } from './lib/browser.mjs';

const h = browserHarness('admin');

h.test('the area tree opens from the district down and a child can be created and renamed', async (page) => {
	await h.login(page, 'admin');
	await page.click('text=区域网格');
	await page.click('[data-test=area-tree] >> text=崂山区');
	await page.waitForSelector('[data-test=area-detail]');
	// Clicking a node opens it too (Element Plus); a click on its arrow as well would race
	// the load and could close it again.
	await page.click('[data-test=area-tree] >> text=/街道/ >> nth=0');
	await page.waitForSelector('[data-test=area-detail] h2:has-text("街道")');
	await page.click('[data-test=area-add]');
	await page.click('[data-test=area-kind]');
	await page.click('.el-select-dropdown__item:has-text("社区") >> visible=true');
	await page.fill('[data-test=area-name]', '新建测试社区');
	await page.fill('[data-test=area-code]', 'NEWC01');
	await page.click('[data-test=area-save]');
	await page.waitForSelector('[data-test=area-tree] >> text=新建测试社区');
	await page.click('[data-test=area-tree] >> text=新建测试社区');
	await page.waitForSelector('[data-test=area-detail] h2:has-text("新建测试社区")');
	await page.click('[data-test=area-edit]');
	await page.fill('[data-test=area-name]', '改名测试社区');
	await page.click('[data-test=area-save]');
	await page.waitForSelector('[data-test=area-detail] h2:has-text("改名测试社区")');
});

h.test('admin creates a grid worker who can then log in', async (page) => {
	await h.login(page, 'admin');
	await page.click('text=用户与角色');
	await page.waitForSelector('[data-test=users-table] .el-table__row');
	await page.click('[data-test=user-new]');
	await page.fill('[data-test=user-username]', 'gridnew');
	await page.fill('[data-test=user-display]', '新网格员');
	await page.fill('[data-test=user-areas]', '370212001001G02');
	await page.fill('[data-test=user-password]', 'New-pass-123');
	await page.click('[data-test=user-save]');
	await page.waitForSelector('[data-test=users-table] >> text=gridnew');
	await h.logout(page);
	await h.login(page, 'gridnew', 'New-pass-123');
	assert.match(await page.textContent('[data-test=scopes]'), /370212001001G02/);
});

h.test('a bad password length is shown in the dialog', async (page) => {
	await h.login(page, 'admin');
	await page.click('text=用户与角色');
	await page.click('[data-test=user-new]');
	await page.fill('[data-test=user-username]', 'shortpw');
	await page.fill('[data-test=user-password]', 'short');
	await page.click('[data-test=user-save]');
	await page.waitForSelector('[data-test=user-error]');
	assert.match(await page.textContent('[data-test=user-error]'), /password/);
});

/* Five wrong passwords for grid2 from this machine lock it here; the admin sees the lock and
 * lifts it, and grid2 logs in from the same machine. */
h.test('admin sees a login lock and lifts it; the owner then logs in', async (page) => {
	for (let i = 0; i < 5; i++) {
		const r = await fetch(h.base + '/api/v1/auth/login', {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ username: 'grid2', password: 'Wrong-pass-' + i }),
		});
		assert.equal(r.status, 401);
	}
	await h.login(page, 'admin');
	await page.click('text=用户与角色');
	await page.click('[data-test=user-unlock-grid2]');
	await page.waitForSelector('[data-test=user-unlock-grid2]', { state: 'detached' });
	await h.logout(page);
	await h.login(page, 'grid2');
});
