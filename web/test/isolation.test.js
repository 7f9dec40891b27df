// The logic of the tracing, isolation and health screens without a screen: placing a contact,
// the transmission graph's nodes and option, rooms for several people, the tests' buttons per
// role, transfers (who gets one, its body, the rooms an arrival may take), the temperature pad
// and the report's body.
import { describe, it, expect } from 'vitest'
import { graphData, graphOption, needsFacility, nodeName, placeable, placementBody, reasonOf } from '../src/modules/trace/trace.js'
import { addDays, arrivalRooms, canTransfer, freeBeds, pickRooms, roomAllocator, shanghaiDay, statusType, testActions, testsText, transferBody, transferState } from '../src/modules/isolation/isolation.js'
import { isFever, padKey, reportBody, temperatureOf } from '../src/modules/health/health.js'

describe('placing a contact', () => {
  it('takes the reason from the kind, and a facility only for a close contact', () => {
    expect(reasonOf('close')).toBe('close_contact')
    expect(reasonOf('secondary')).toBe('secondary_contact')
    expect(needsFacility('close')).toBe(true)
    expect(needsFacility('secondary')).toBe(false)
    expect(placementBody({ id: 7, kind: 'close' }, 3, 12)).toEqual({ contact_id: '7', reason: 'close_contact', facility_id: '3', room_id: '12' })
    expect(placementBody({ id: 7, kind: 'close' }, 3, null)).toEqual({ contact_id: '7', reason: 'close_contact', facility_id: '3' })
    expect(placementBody({ id: 8, kind: 'secondary' }, 3, 12)).toEqual({ contact_id: '8', reason: 'secondary_contact' })
  })
  it('offers only listed contacts not yet placed', () => {
    expect(placeable({ status: 'listed', placement_id: null })).toBe(true)
    expect(placeable({ status: 'listed', placement_id: '4' })).toBe(false)
    expect(placeable({ status: 'placed' })).toBe(false)
    expect(placeable({ status: 'moved' })).toBe(false)
  })
})

describe('the transmission graph', () => {
  const graph = {
    nodes: [
      { id: 1, case_id: 10, name: '甲', role: 'case', generation: 1 },
      { id: 2, name: '乙', role: 'close', generation: 2 },
      { id: 2, case_id: 11, name: '乙', role: 'case', generation: 2 },
      { id: 3, name: '丙', role: 'secondary', generation: 3 },
    ],
    links: [
      { source: 1, target: 2, kind: 'infected' },
      { source: 1, target: 2, kind: 'infected' },
      { source: 2, target: 3, kind: 'close' },
      { source: 2, target: 9, kind: 'close' },
      { source: 3, target: 3, kind: 'close' },
    ],
  }
  it('draws a person in two chains once, as the strongest role, and drops dangling links', () => {
    const d = graphData(graph)
    expect(d.nodes.map((n) => [n.id, n.role])).toEqual([['1', 'case'], ['2', 'case'], ['3', 'secondary']])
    expect(d.links).toEqual([{ source: '1', target: '2', kind: 'infected' }, { source: '2', target: '3', kind: 'close' }])
  })
  it('colours nodes by role and labels them with their generation', () => {
    const o = graphOption(graph, { roleName: (r) => 'R:' + r })
    const s = o.series[0]
    expect(s.type).toBe('graph')
    expect(s.categories.map((c) => c.name)).toEqual(['R:case', 'R:close', 'R:secondary'])
    expect(s.data.map((n) => [n.id, n.category, n.name])).toEqual([['1', 0, '甲\nG1'], ['2', 0, '乙\nG2'], ['3', 2, '丙\nG3']])
    expect(s.links).toHaveLength(2)
    expect(graphOption(null).series[0].data).toEqual([])
  })
})

describe('isolation', () => {
  it('tells the day in China Standard Time', () => {
    expect(shanghaiDay(Date.parse('2026-12-06T15:59:00Z'))).toBe('2026-12-06')
    expect(shanghaiDay(Date.parse('2026-12-06T16:00:00Z'))).toBe('2026-12-07')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
  it('puts people into the chosen room while it has beds, then the first free one', () => {
    const rooms = [
      { id: 1, capacity: 1, occupants: [{}] },
      { id: 2, capacity: 2, occupants: [] },
      { id: 3, capacity: 1, occupants: [] },
      { id: 4, capacity: 5, occupants: [], active: false },
    ]
    expect(freeBeds(rooms[0])).toBe(0)
    expect(pickRooms(rooms, 2)).toEqual(['2', '2'])
    expect(pickRooms(rooms, 4, '3')).toEqual(['3', '2', '2', null])
    expect(pickRooms(rooms, 1, '1')).toEqual(['2'])
    expect(pickRooms([], 1)).toEqual([null])
  })
  it('shows a due test the sampled button for door staff, a sampled one the results for those who may', () => {
    expect(testActions({ status: 'due' }, 'grid')).toEqual(['sampled'])
    expect(testActions({ status: 'due' }, 'lab')).toEqual([])
    expect(testActions({ status: 'sampled' }, 'building')).toEqual([])
    expect(testActions({ status: 'sampled' }, 'community')).toEqual(['negative', 'positive'])
    expect(testActions({ status: 'negative' }, 'admin')).toEqual([])
  })
  it('reads statuses and test days', () => {
    expect(statusType('overdue')).toBe('danger')
    expect(statusType('active')).toBe('success')
    expect(testsText({ test_days: [1, 2, 3] })).toBe('1, 2, 3')
    expect(testsText({ tests: [{ day_no: 1, status: 'negative' }, { day_no: 3, status: 'due' }] })).toBe('1✓, 3')
  })
})

describe('health reports', () => {
  const keys = (ks) => ks.reduce(padKey, '')
  it('keys a temperature on the pad', () => {
    expect(keys(['3', '6', '.', '5'])).toBe('36.5')
    expect(keys(['3', '6', '5'])).toBe('36')
    expect(keys(['.', '3', '7', '.', '.', '2', '9'])).toBe('37.2')
    expect(keys(['3', '8', '.', '1', '⌫', '⌫'])).toBe('38')
  })
  it('accepts 34.0 to 43.0 only', () => {
    expect(temperatureOf('36.5')).toBe(36.5)
    expect(temperatureOf('34')).toBe(34)
    expect(temperatureOf('43.0')).toBe(43)
    expect(temperatureOf('33.9')).toBe(null)
    expect(temperatureOf('43.1')).toBe(null)
    expect(temperatureOf('36.')).toBe(null)
    expect(temperatureOf('')).toBe(null)
    expect(isFever(37.3)).toBe(true)
    expect(isFever(37.2)).toBe(false)
  })
  it('builds the report with known symptoms in a fixed order', () => {
    expect(reportBody({ half: 'am', temperature: 36.6, symptoms: ['fatigue', 'cough', 'nonsense'] }))
      .toEqual({ half: 'am', temperature: 36.6, symptoms: ['cough', 'fatigue'] })
    expect(reportBody({ personId: 5, day: '2026-12-07', half: 'pm', temperature: 38 }))
      .toEqual({ person_id: '5', day: '2026-12-07', half: 'pm', temperature: 38, symptoms: [] })
  })
})

describe('beds when the server knows more than the board shows', () => {
  it('counts a room\'s own occupancy over the occupants in view', () => {
    expect(freeBeds({ capacity: 3, occupied: 2, occupants: [{}] })).toBe(1)
  })
  it('moves on from a room the server found full', () => {
    const beds = roomAllocator([{ id: 1, capacity: 2, occupants: [] }, { id: 2, capacity: 1, occupants: [] }])
    expect(beds.next()).toBe('1')
    beds.full('1')
    expect(beds.next()).toBe('2')
    expect(beds.next()).toBe(null)
  })
  it('names a person outside the scope as hidden', () => {
    expect(nodeName({ name: null, hidden: true }, '?')).toBe('?')
    expect(nodeName({ name: '甲' }, '?')).toBe('甲')
    expect(graphOption({ nodes: [{ id: 1, hidden: true, name: null, role: 'close', generation: 2 }], links: [] }).series[0].data[0].name).toBe('…\nG2')
  })
})

describe('transfers', () => {
  const p = { kind: 'centralised', status: 'active', room_id: null }
  it('are arranged for an open centralised placement with no room yet', () => {
    expect(canTransfer(p)).toBe(true)
    expect(canTransfer({ ...p, status: 'overdue', facility_id: '3' })).toBe(true)
    expect(canTransfer({ ...p, room_id: '12' })).toBe(false)
    expect(canTransfer({ ...p, kind: 'home_isolation' })).toBe(false)
    expect(canTransfer({ ...p, status: 'released' })).toBe(false)
    expect(canTransfer(null)).toBe(false)
  })
  it('send ids as strings, trimmed names, and the departure to the second or none', () => {
    expect(transferBody({ facility_id: 3, vehicle: ' 鲁B 12345 ', escort: '王医生', departed_at: null }))
      .toEqual({ facility_id: '3', vehicle: '鲁B 12345', escort: '王医生' })
    expect(transferBody({ facility_id: '3', vehicle: 'v', escort: 'e', departed_at: new Date('2026-12-08T01:02:03.456Z') }).departed_at)
      .toBe('2026-12-08T01:02:03Z')
  })
  it('put an arrival only in an active room with a free bed', () => {
    const rooms = [
      { id: 1, number: '901', capacity: 1, occupied: 1, occupants: [] },
      { id: 2, number: '902', capacity: 2, occupants: [{}] },
      { id: 3, number: '903', capacity: 2, occupied: 0, active: false },
      { id: 4, number: '904', capacity: 1, occupied: 0 },
    ]
    expect(arrivalRooms(rooms).map((r) => r.number)).toEqual(['902', '904'])
    expect(arrivalRooms(undefined)).toEqual([])
  })
  it('are on their way until they arrive', () => {
    expect(transferState({ arrived_at: null })).toBe('on_the_way')
    expect(transferState({ arrived_at: '2026-12-08T01:00:00Z' })).toBe('arrived')
  })
})
