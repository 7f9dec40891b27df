// A testing round with some work done, on a demo district, for the screenshots of the testing
// screens: a round over the whole district, open; a site in community 370212001001 with
// registrar1 bound; five tubes of ten residents scanned there; the first three boxed, carried
// to the lab and resulted (one positive, so there are retests and an alert), the other two in
// a box on its way to the lab; call-up slots for the first grid's buildings. Does nothing
// when a round of that name exists already.
import { Client } from '../../api/lib/harness.mjs';

export const DEMO_ROUND = '崂山区第1轮全员核酸';

function must(r, what) {
	if (r.status >= 300) throw new Error(`${what}: ${r.what}`);
	return r.json;
}

const key = () => `demo-${Date.now()}-${Math.random().toString(16).slice(2)}`;

export async function demoRound(base, password = 'Demo-pass-1') {
	const as = async (u) => {
		const c = new Client(base, u);
		must(await c.login(u, password), `login ${u}`);
		return c;
	};
	const commander = await as('commander');
	const rounds = must(await commander.get('/api/v1/rounds'), 'rounds').items;
	const have = rounds.find((r) => r.name === DEMO_ROUND);
	if (have) return have;
	const admin = await as('admin');
	const community = await as('community1');
	const registrar = await as('registrar1');
	const lab = await as('lab1');
	const find = async (code) => must(await commander.get('/api/v1/areas', { query: { q: code } }), code).items.find((a) => a.code === code);
	const district = await find('370212');
	const comm = await find('370212001001');
	const round = must(await commander.post('/api/v1/rounds', {
		name: DEMO_ROUND, area_ids: [district.id], pool_size: 10,
		deadline_at: new Date(Date.now() + 20 * 3600e3).toISOString(),
	}), 'round');
	must(await commander.post(`/api/v1/rounds/${round.id}/open`), 'open');
	const site = must(await commander.post('/api/v1/sites', {
		area_id: comm.id, code: 'ZC-01', name: '张村社区广场采样点', kind: 'fixed', desks: 2, hours: '07:00-21:00',
	}), 'site');
	const grid = await find('370212001001G01');
	must(await commander.req('PUT', `/api/v1/sites/${site.id}/areas`, { json: { area_ids: [grid.id] } }), 'site areas');
	const reg = must(await admin.get('/api/v1/users', { query: { limit: 200 } }), 'users').items.find((u) => u.username === 'registrar1');
	must(await commander.req('PUT', `/api/v1/sites/${site.id}/registrars`, { json: { user_ids: [reg.id] } }), 'registrars');
	const people = must(await community.get('/api/v1/people', { query: { area_id: comm.id, limit: 100 } }), 'people').items;
	for (let t = 0; t < 5; t++) {
		const code = `ZC01-${String(t + 1).padStart(4, '0')}`;
		must(await registrar.post(`/api/v1/rounds/${round.id}/tubes`, { code, site_id: site.id, client_key: key() }), code);
		for (const p of people.slice(t * 10, t * 10 + 10))
			must(await registrar.post(`/api/v1/tubes/${code}/scans`, { id_number: p.id_number, client_key: key() }), 'scan');
		// The demo's first community may hold fewer than fifty: a short last tube is closed by hand.
		if (must(await registrar.get(`/api/v1/tubes/${code}`), code).status === 'open')
			must(await registrar.post(`/api/v1/tubes/${code}/close`), 'close');
	}
	const box = 'BOX-ZC01-1';
	must(await registrar.post('/api/v1/boxes', { code: box, round_id: round.id, site_id: site.id }), 'box');
	for (let t = 1; t <= 3; t++) must(await registrar.post(`/api/v1/boxes/${box}/tubes`, { tube_code: `ZC01-000${t}` }), 'box tube');
	must(await registrar.post(`/api/v1/boxes/${box}/seal`), 'seal');
	must(await registrar.post(`/api/v1/boxes/${box}/handover`, { to: '转运员 王师傅' }), 'handover');
	must(await lab.post(`/api/v1/boxes/${box}/receive`), 'receive');
	for (const [t, result] of [[1, 'negative'], [2, 'negative'], [3, 'positive']])
		must(await lab.post(`/api/v1/tubes/ZC01-000${t}/result`, { result, client_key: key() }), 'result');
	// a second box on its way to the lab
	must(await registrar.post('/api/v1/boxes', { code: 'BOX-ZC01-2', round_id: round.id, site_id: site.id }), 'box 2');
	for (const t of [4, 5]) must(await registrar.post(`/api/v1/boxes/BOX-ZC01-2/tubes`, { tube_code: `ZC01-000${t}` }), 'box 2 tube');
	must(await registrar.post('/api/v1/boxes/BOX-ZC01-2/seal'), 'seal 2');
	must(await registrar.post('/api/v1/boxes/BOX-ZC01-2/handover', { to: '转运员 李师傅' }), 'handover 2');
	const start = Date.now() + 3600e3;
	const slots = [];
	for (let b = 1; b <= 10; b++) {
		const building = await find(`370212001001G01B${String(b).padStart(2, '0')}`);
		if (building) slots.push({ area_id: building.id, slot_start: new Date(start + b * 1800e3).toISOString(), slot_end: new Date(start + (b + 1) * 1800e3).toISOString() });
	}
	must(await commander.req('PUT', `/api/v1/rounds/${round.id}/callups`, { json: { items: slots } }), 'callups');
	return round;
}
