// Screens and who may open them. Each module adds its routes here with the roles that use it.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe } from './api/session.js'

const PEOPLE = ['admin', 'commander', 'community', 'grid', 'building']
const AREAS = ['admin', 'commander', 'community', 'grid', 'building', 'registrar', 'volunteer']
// testing rounds (SPEC §3)
const ROUNDS = ['admin', 'commander', 'community']
const SITES = ['admin', 'commander', 'community']
const DESK = ['registrar', 'community', 'commander', 'admin']
const LAB = ['lab', 'admin']
const COVERAGE = ['admin', 'commander', 'community', 'grid', 'building']
const DOOR = ['community', 'grid', 'building']
// checkpoints (SPEC §5): gate duty is the volunteer role's; community and command staff may stand in
const GATE = ['volunteer', 'community', 'commander', 'admin']
// checkpoints and their duty staff: set up by those the API lets create them
const CHECKPOINTS = ['admin', 'commander', 'community']
// zones (SPEC §4): the commander draws and decides, the admin too; staff below read them
const ZONES = ['admin', 'commander', 'community', 'grid', 'building']
// fever referrals opened at the gates: followed by community and command staff (admin by URL)
const REFERRALS = ['commander', 'community']
// tracing (SPEC §10): cases and contacts written by command and community staff, read by grids
const TRACE = ['admin', 'commander', 'community', 'grid']
// isolation (SPEC §6): facilities and their boards for command and community staff; placements
// (and the tests due while placed) down to the building
const FACILITIES = ['admin', 'commander', 'community']
const PLACEMENTS = ['admin', 'commander', 'community', 'grid', 'building']
// health reports: the resident files its own on the phone; staff follow who has not
const HEALTH_STAFF = ['admin', 'commander', 'community', 'grid', 'building']
// screening campaigns (SPEC §2): written by command and community staff, read by grids; a
// worker's registration down to the building (the public form needs no login)
const SCREENING = ['admin', 'commander', 'community', 'grid']
const SCREENING_REGISTER = [...SCREENING, 'building']
// follow-up calls (SPEC §7): the list on the grid worker's phone (and the building's, the
// community's; command staff by URL); counts for the community and above, a grid its own
const CALLS = ['admin', 'commander', 'community', 'grid', 'building']
const CALLS_MENU = ['community', 'grid', 'building']
const CALL_COUNTS = ['admin', 'commander', 'community', 'grid']
// policies: the admin edits them; the command centre reads the rules it works under
const POLICIES = ['admin', 'commander']
// requests (SPEC §7): the queue and the counts for every level that handles them; the hotline's
// file imported by community and command staff; the resident's own on the phone
const REQUESTS = ['admin', 'commander', 'community', 'grid', 'building']
const REQUEST_IMPORT = ['admin', 'commander', 'community']
// the workforce (SPEC §8): people who serve, call-outs, batches and teams written by command and
// community staff, read by grids (the public sign-up needs no login)
const WORKFORCE = ['admin', 'commander', 'community', 'grid']
// deliveries to sealed households (SPEC §9): runs made down to the grid, signed off on the
// phone by volunteers and building leads too; donations kept by community and command staff
const DELIVERY_RUNS = ['admin', 'commander', 'community', 'grid', 'building', 'volunteer']
const DELIVERY_SIGN = ['volunteer', 'building', 'grid', 'community']
const DONATIONS = ['admin', 'commander', 'community']
// supplies (SPEC §9): the stock board for the grid and up (moves from the community up); the
// items and places for the same, added by command staff
const STOCK = ['admin', 'commander', 'community', 'grid']

// duty (SPEC §8): shifts made by command and community staff; the roster and the board read
// down to the site and the gate; a volunteer's own shifts on the phone
const DUTY_WRITE = ['admin', 'commander', 'community']
const DUTY_READ = [...DUTY_WRITE, 'grid', 'building', 'registrar']
const MY_SHIFTS = ['volunteer', 'registrar', 'grid', 'building', 'community']
// the daily report 每日简报 (SPEC §11): command and community staff
const REPORTS = ['admin', 'commander', 'community']

// the command dashboard (SPEC §11): command and community staff and grids, each over its scope
const DASHBOARD = ['admin', 'commander', 'community', 'grid']

export const menu = [
  { path: '/', name: 'home', icon: 'HomeFilled', roles: null },
  { path: '/dashboard', name: 'dashboard', icon: 'DataBoard', roles: DASHBOARD },
  { path: '/me', name: 'me', icon: 'Avatar', roles: ['resident'], phone: true },
  { path: '/areas', name: 'areas', icon: 'Location', roles: AREAS },
  { path: '/people', name: 'people', icon: 'User', roles: PEOPLE },
  { path: '/people/import', name: 'import', icon: 'Upload', roles: ['admin', 'commander', 'community'] },
  { path: '/testing/register', name: 'register', icon: 'Camera', roles: ['registrar', 'community'], phone: true },
  { path: '/testing/coverage', name: 'coverage', icon: 'DataAnalysis', roles: COVERAGE, phone: true },
  { path: '/testing/door', name: 'door', icon: 'House', roles: DOOR, phone: true },
  { path: '/gates', name: 'gate', icon: 'Guide', roles: ['volunteer'], phone: true },
  { path: '/testing/rounds', name: 'rounds', icon: 'List', roles: ROUNDS },
  { path: '/testing/sites', name: 'sites', icon: 'MapLocation', roles: SITES },
  { path: '/checkpoints', name: 'checkpoints', icon: 'Place', roles: CHECKPOINTS },
  { path: '/zones', name: 'zones', icon: 'Warning', roles: ZONES },
  { path: '/referrals', name: 'referrals', icon: 'FirstAidKit', roles: REFERRALS },
  { path: '/health', name: 'health', icon: 'FirstAidKit', roles: ['resident'], phone: true },
  { path: '/cases', name: 'cases', icon: 'Aim', roles: TRACE },
  { path: '/facilities', name: 'facilities', icon: 'OfficeBuilding', roles: FACILITIES },
  { path: '/placements', name: 'placements', icon: 'Lock', roles: PLACEMENTS },
  { path: '/health/missing', name: 'healthMissing', icon: 'Bell', roles: HEALTH_STAFF },
  { path: '/screening', name: 'screening', icon: 'Tickets', roles: SCREENING },
  { path: '/calls', name: 'calls', icon: 'Phone', roles: CALLS_MENU, phone: true },
  { path: '/calls/counts', name: 'callCounts', icon: 'Histogram', roles: CALL_COUNTS },
  { path: '/my/requests', name: 'myRequests', icon: 'ChatDotRound', roles: ['resident'], phone: true },
  { path: '/requests', name: 'requests', icon: 'ChatLineSquare', roles: REQUESTS, phone: true },
  { path: '/requests/counts', name: 'requestCounts', icon: 'PieChart', roles: REQUESTS },
  { path: '/requests/import', name: 'requestImport', icon: 'Phone', roles: REQUEST_IMPORT },
  { path: '/workers', name: 'workers', icon: 'UserFilled', roles: WORKFORCE },
  { path: '/callouts', name: 'callouts', icon: 'Promotion', roles: WORKFORCE },
  { path: '/teams', name: 'teams', icon: 'Flag', roles: WORKFORCE },
  { path: '/batches', name: 'batches', icon: 'Van', roles: WORKFORCE },
  { path: '/deliveries/runs', name: 'deliveries', icon: 'Van', roles: DELIVERY_RUNS, phone: true },
  { path: '/donations', name: 'donations', icon: 'Present', roles: DONATIONS },
  { path: '/stock', name: 'stock', icon: 'Box', roles: STOCK },
  { path: '/stock/catalog', name: 'stockCatalog', icon: 'Goods', roles: STOCK },
  { path: '/duty/now', name: 'dutyNow', icon: 'Stopwatch', roles: DUTY_READ },
  { path: '/duty/roster', name: 'roster', icon: 'Calendar', roles: DUTY_READ },
  { path: '/duty/mine', name: 'myShifts', icon: 'Clock', roles: MY_SHIFTS, phone: true },
  { path: '/testing/lab', name: 'lab', icon: 'Odometer', roles: LAB },
  { path: '/users', name: 'users', icon: 'Setting', roles: ['admin'] },
  { path: '/outbox', name: 'outbox', icon: 'Message', roles: ['admin'] },
  { path: '/audit', name: 'audit', icon: 'Document', roles: ['admin'] },
  { path: '/policies', name: 'policies', icon: 'Operation', roles: POLICIES },
  { path: '/reports/daily', name: 'dailyReport', icon: 'Notebook', roles: REPORTS },
]

const routes = [
  { path: '/login', component: () => import('./modules/auth/LoginPage.vue'), meta: { public: true } },
  { path: '/s/:token', component: () => import('./modules/screening/PublicPage.vue'), meta: { public: true } },
  { path: '/v/:token', component: () => import('./modules/workforce/SignupPage.vue'), meta: { public: true } },
  { path: '/d/:code', component: () => import('./modules/donations/PublicPage.vue'), meta: { public: true } },
  // the dashboard's wall mode: no menus around it
  { path: '/screen', component: () => import('./modules/dashboard/DashboardPage.vue'), props: { wall: true }, meta: { roles: DASHBOARD } },
  {
    path: '/',
    component: () => import('./layout/AppLayout.vue'),
    children: [
      { path: '', component: () => import('./modules/home/HomePage.vue') },
      {
        path: 'dashboard', component: () => import('./modules/dashboard/DashboardPage.vue'), meta: { roles: DASHBOARD },
        beforeEnter: (to) => (to.query.screen === 'big' ? { path: '/screen', query: { area_id: to.query.area_id } } : true),
      },
      { path: 'areas', component: () => import('./modules/area/AreaPage.vue'), meta: { roles: AREAS } },
      { path: 'people', component: () => import('./modules/people/PeopleList.vue'), meta: { roles: PEOPLE } },
      { path: 'people/import', component: () => import('./modules/people/PeopleImport.vue'), meta: { roles: ['admin', 'commander', 'community'] } },
      { path: 'people/:id', component: () => import('./modules/people/PersonDetail.vue'), meta: { roles: [...PEOPLE, 'resident'] } },
      { path: 'testing/register', component: () => import('./modules/testing/RegistrarPage.vue'), meta: { roles: DESK } },
      { path: 'testing/coverage', component: () => import('./modules/testing/CoveragePage.vue'), meta: { roles: COVERAGE } },
      { path: 'testing/door', component: () => import('./modules/testing/DoorPage.vue'), meta: { roles: DOOR } },
      { path: 'gates', component: () => import('./modules/gates/GatePage.vue'), meta: { roles: GATE } },
      { path: 'testing/rounds', component: () => import('./modules/testing/RoundsPage.vue'), meta: { roles: ROUNDS } },
      { path: 'testing/sites', component: () => import('./modules/testing/SitePage.vue'), meta: { roles: SITES } },
      { path: 'checkpoints', component: () => import('./modules/gates/CheckpointsPage.vue'), meta: { roles: CHECKPOINTS } },
      { path: 'zones', component: () => import('./modules/zones/ZonesPage.vue'), meta: { roles: ZONES } },
      { path: 'referrals', component: () => import('./modules/gates/ReferralsPage.vue'), meta: { roles: [...REFERRALS, 'admin'] } },
      { path: 'cases', component: () => import('./modules/trace/CasesPage.vue'), meta: { roles: TRACE } },
      { path: 'cases/:id', component: () => import('./modules/trace/CasePage.vue'), meta: { roles: TRACE } },
      { path: 'trace/graph', component: () => import('./modules/trace/GraphPage.vue'), meta: { roles: TRACE } },
      { path: 'facilities', component: () => import('./modules/isolation/FacilitiesPage.vue'), meta: { roles: FACILITIES } },
      { path: 'facilities/:id', component: () => import('./modules/isolation/FacilityBoard.vue'), meta: { roles: FACILITIES } },
      { path: 'placements', component: () => import('./modules/isolation/PlacementsPage.vue'), meta: { roles: PLACEMENTS } },
      { path: 'me', component: () => import('./modules/me/MePage.vue'), meta: { roles: ['resident'] } },
      { path: 'outbox', component: () => import('./modules/notify/OutboxPage.vue'), meta: { roles: ['admin'] } },
      { path: 'health', component: () => import('./modules/health/ReportPage.vue'), meta: { roles: ['resident'] } },
      { path: 'health/missing', component: () => import('./modules/health/MissingPage.vue'), meta: { roles: HEALTH_STAFF } },
      { path: 'screening', component: () => import('./modules/screening/CampaignsPage.vue'), meta: { roles: SCREENING } },
      { path: 'screening/:id', component: () => import('./modules/screening/CampaignPage.vue'), meta: { roles: SCREENING } },
      { path: 'screening/:id/register', component: () => import('./modules/screening/RegisterPage.vue'), meta: { roles: SCREENING_REGISTER } },
      { path: 'calls', component: () => import('./modules/calls/CallsPage.vue'), meta: { roles: CALLS } },
      { path: 'calls/counts', component: () => import('./modules/calls/CountsPage.vue'), meta: { roles: CALL_COUNTS } },
      { path: 'my/requests', component: () => import('./modules/requests/MyRequestsPage.vue'), meta: { roles: ['resident'] } },
      { path: 'requests', component: () => import('./modules/requests/RequestsPage.vue'), meta: { roles: REQUESTS } },
      { path: 'requests/counts', component: () => import('./modules/requests/CountsPage.vue'), meta: { roles: REQUESTS } },
      { path: 'requests/import', component: () => import('./modules/requests/ImportPage.vue'), meta: { roles: REQUEST_IMPORT } },
      { path: 'workers', component: () => import('./modules/workforce/WorkersPage.vue'), meta: { roles: WORKFORCE } },
      { path: 'callouts', component: () => import('./modules/workforce/CalloutsPage.vue'), meta: { roles: WORKFORCE } },
      { path: 'callouts/:id', component: () => import('./modules/workforce/CalloutPage.vue'), meta: { roles: WORKFORCE } },
      { path: 'teams', component: () => import('./modules/workforce/TeamsPage.vue'), meta: { roles: WORKFORCE } },
      { path: 'batches', component: () => import('./modules/workforce/BatchesPage.vue'), meta: { roles: WORKFORCE } },
      { path: 'deliveries/runs', component: () => import('./modules/deliveries/RunsPage.vue'), meta: { roles: DELIVERY_RUNS } },
      { path: 'deliveries/runs/:id', component: () => import('./modules/deliveries/RunPage.vue'), meta: { roles: [...new Set([...DELIVERY_RUNS, ...DELIVERY_SIGN])] } },
      { path: 'donations', component: () => import('./modules/donations/DonationsPage.vue'), meta: { roles: DONATIONS } },
      { path: 'stock', component: () => import('./modules/supplies/StockPage.vue'), meta: { roles: STOCK } },
      { path: 'stock/catalog', component: () => import('./modules/supplies/CatalogPage.vue'), meta: { roles: STOCK } },
      { path: 'duty/now', component: () => import('./modules/duty/NowPage.vue'), meta: { roles: DUTY_READ } },
      { path: 'duty/roster', component: () => import('./modules/duty/RosterPage.vue'), meta: { roles: DUTY_READ } },
      { path: 'duty/mine', component: () => import('./modules/duty/MyShiftsPage.vue'), meta: { roles: MY_SHIFTS } },
      { path: 'testing/lab', component: () => import('./modules/testing/LabPage.vue'), meta: { roles: LAB } },
      { path: 'users', component: () => import('./modules/users/UsersPage.vue'), meta: { roles: ['admin'] } },
      { path: 'audit', component: () => import('./modules/users/AuditPage.vue'), meta: { roles: ['admin'] } },
      { path: 'policies', component: () => import('./modules/policy/PoliciesPage.vue'), meta: { roles: POLICIES } },
      { path: 'reports/daily', component: () => import('./modules/reports/DailyReportPage.vue'), meta: { roles: REPORTS } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.checked) await loadMe()
  if (to.meta.public) return session.user && to.path === '/login' ? '/' : true
  if (!session.user) return { path: '/login', query: { next: to.fullPath } }
  const roles = to.matched.map((r) => r.meta.roles).find(Boolean)
  if (roles && !roles.includes(session.user.role)) return '/'
  return true
})
