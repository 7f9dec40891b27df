// What the isolation screens share: today's date in China Standard Time, how a placement's
// status reads, the free beds of a facility's rooms and the rooms picked for several people,
// transfers (who may get one, its body, the rooms an arrival may take) and the tests due.

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

/* Beds still free in a room of the board: capacity less its occupants (the room's own count when
 * the board gives one: its occupants list shows only the people of the caller's scope). */
export function freeBeds(room) {
  const taken = typeof room.occupied === 'number' ? room.occupied : (room.occupants || []).length
  return Math.max(0, (Number(room.capacity) || 0) - taken)
}

/* Hands out beds of a facility's rooms: next() gives the chosen room while it has a bed, else
 * the first active room with one (null when none); full(id) marks a room the server said is
 * full (someone outside the caller's view, or a later arrival, holds its beds). */
export function roomAllocator(rooms, chosenId = '') {
  const free = new Map((rooms || []).filter((r) => r.active !== false).map((r) => [String(r.id), freeBeds(r)]))
  const order = [...free.keys()]
  if (chosenId && free.has(String(chosenId))) order.unshift(String(chosenId))
  return {
    next() {
      const id = order.find((k) => free.get(k) > 0) || null
      if (id) free.set(id, free.get(id) - 1)
      return id
    },
    full(id) {
      free.set(String(id), 0)
    },
  }
}

/* A room for each of n people, in the order given (roomAllocator's choice); null for a person
 * no room can take. */
export function pickRooms(rooms, n, chosenId = '') {
  const beds = roomAllocator(rooms, chosenId)
  return Array.from({ length: n }, () => beds.next())
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

/* A transfer 转运 is arranged for a centralised placement still open and with no room yet. */
export function canTransfer(p) {
  return !!p && p.kind === 'centralised' && (p.status === 'active' || p.status === 'overdue') && !p.room_id
}

/* The body of POST /placements/{id}/transfers: ids as strings, the departure (a Date or
 * nothing: the server takes its own now) as an ISO time to the second. */
export function transferBody({ facility_id, vehicle, escort, departed_at }) {
  const body = { facility_id: String(facility_id), vehicle: (vehicle || '').trim(), escort: (escort || '').trim() }
  if (departed_at) body.departed_at = new Date(departed_at).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return body
}

/* The rooms an arriving person may be put in: active ones with a free bed, in the board's order. */
export function arrivalRooms(rooms) {
  return (rooms || []).filter((r) => r.active !== false && freeBeds(r) > 0)
}

/* A transfer on the board: on its way until it has arrived. */
export function transferState(t) {
  return t && t.arrived_at ? 'arrived' : 'on_the_way'
}
