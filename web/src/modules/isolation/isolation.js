// What the isolation screens share: today's date in China Standard Time, how a placement's
// status reads, the free beds of a facility's rooms and the rooms picked for several people.

/* "YYYY-MM-DD" of the instant (ms) in China Standard Time (UTC+8, no daylight saving). */
export function shanghaiDay(ms = Date.now()) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
}

/* The day n days after day ("YYYY-MM-DD"), calendar arithmetic only. */
export function addDays(day, n) {
  const d = new Date(day + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/* Element Plus tag type of a placement's status: overdue red, active green. */
export function statusType(status) {
  return { active: 'success', overdue: 'danger', released: 'info', cancelled: 'info' }[status] || 'info'
}

/* Beds still free in a room of the board: capacity less its occupants. */
export function freeBeds(room) {
  return Math.max(0, (Number(room.capacity) || 0) - ((room.occupants || []).length))
}

/* A room for each of n people, in the order given: the chosen room while it has beds, else
 * the first active room with a free bed. null for a person no room can take. */
export function pickRooms(rooms, n, chosenId = '') {
  const free = new Map((rooms || []).filter((r) => r.active !== false).map((r) => [String(r.id), freeBeds(r)]))
  const order = [...free.keys()]
  if (chosenId && free.has(String(chosenId))) order.unshift(String(chosenId))
  const out = []
  for (let i = 0; i < n; i++) {
    const id = order.find((k) => free.get(k) > 0) || null
    if (id) free.set(id, free.get(id) - 1)
    out.push(id)
  }
  return out
}

/* Which buttons a due test shows to a role: sampled by the staff who go door to door, a
 * result by those who may record one. */
const SAMPLERS = ['grid', 'building', 'community', 'admin', 'commander']
const RESULTERS = ['lab', 'admin', 'commander', 'community']
export function testActions(test, role) {
  if (test.status === 'due') return SAMPLERS.includes(role) ? ['sampled'] : []
  if (test.status === 'sampled') return RESULTERS.includes(role) ? ['negative', 'positive'] : []
  return []
}

/* A placement's test days as "1, 2, 3, 5, 7" with the done ones marked. */
export function testsText(p) {
  const tests = p.tests || []
  if (!tests.length) return (p.test_days || []).join(', ')
  return tests.map((x) => (x.status === 'negative' ? `${x.day_no}✓` : x.status === 'positive' ? `${x.day_no}✗` : String(x.day_no))).join(', ')
}
