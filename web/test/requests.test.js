// The request screens' logic: which actions a role has in each status, what an action sends,
// how a deadline reads (time left, overdue), the queue's tabs, a new request's body and check.
import { describe, it, expect } from 'vitest'
import {
  actionsFor, staffActions, residentActions, actionBody, dueState, dueText, tabQuery, defaultTab,
  raiseBody, raiseProblem, countRows, dayRows, ACTIONS, KINDS,
} from '../src/modules/requests/requests.js'
import { endpoints } from '../src/api/endpoints.js'

const req = (status, more = {}) => ({ id: '1', status, level: 'grid', due_at: 0, overdue: false, ...more })
const t = (k, p) => `${k}${p ? ':' + Object.values(p).join(',') : ''}`

describe('requests: actions by status and role', () => {
  it('gives staff accept on an open request, then done, escalate and close', () => {
    expect(staffActions(req('open'))).toEqual(['accept', 'done', 'escalate', 'close'])
    expect(staffActions(req('accepted'))).toEqual(['done', 'escalate', 'close'])
    expect(staffActions(req('done'))).toEqual(['close', 'reopen'])
    expect(staffActions(req('closed'))).toEqual(['reopen'])
  })
  it('offers no escalation above the district', () => {
    expect(staffActions(req('open', { level: 'district' }))).toEqual(['accept', 'done', 'close'])
    expect(staffActions(req('accepted', { level: 'street' }))).toContain('escalate')
  })
  it('lets the resident confirm an open or done request and reopen a done or closed one', () => {
    expect(residentActions(req('open'))).toEqual(['confirm'])
    expect(residentActions(req('accepted'))).toEqual([])
    expect(residentActions(req('done'))).toEqual(['confirm', 'reopen'])
    expect(residentActions(req('closed'))).toEqual(['reopen'])
  })
  it('gives roles that do not handle requests nothing, and staff never confirm', () => {
    for (const role of ['lab', 'registrar', 'volunteer']) expect(actionsFor(req('open'), role)).toEqual([])
    for (const role of ['admin', 'commander', 'community', 'grid', 'building']) {
      expect(actionsFor(req('open'), role)).not.toContain('confirm')
      expect(actionsFor(req('done'), role)).toContain('close')
    }
    expect(actionsFor(req('done'), 'resident')).toEqual(['confirm', 'reopen'])
    expect(actionsFor(null, 'grid')).toEqual([])
  })
  it('names an endpoint for every action', () => {
    for (const a of Object.values(ACTIONS)) expect(endpoints[a.endpoint][0]).toBe('POST')
  })
})

describe('requests: action bodies', () => {
  it('needs a reason to close or escalate, takes one to reopen', () => {
    for (const a of ['close', 'escalate']) {
      expect(actionBody(a, '  ')).toEqual({ error: 'requests.textRequired' })
      expect(actionBody(a, ' 已电话联系 ')).toEqual({ body: { reason: '已电话联系' } })
    }
    expect(actionBody('reopen', ' 药不对 ')).toEqual({ body: { reason: '药不对' } })
    expect(actionBody('reopen', '')).toEqual({ body: {} })
  })
  it('sends done with its note or none, accept and confirm empty', () => {
    expect(actionBody('done', '药已送到')).toEqual({ body: { note: '药已送到' } })
    expect(actionBody('done', '')).toEqual({ body: {} })
    expect(actionBody('accept', 'ignored')).toEqual({ body: {} })
    expect(actionBody('confirm')).toEqual({ body: {} })
    expect(actionBody('delete', 'x')).toEqual({ error: 'requests.badAction' })
  })
})

describe('requests: deadlines', () => {
  const now = Date.parse('2022-04-01T08:00:00Z')
  it('counts down to a pending request\'s deadline', () => {
    const r = req('open', { due_at: now + 35 * 60e3 })
    expect(dueState(r, now)).toEqual({ show: true, overdue: false, left: 35 * 60e3 })
    expect(dueText(t, r, now)).toBe('requests.dueIn:35 min')
    expect(dueText(t, req('accepted', { due_at: now + 4 * 3600e3 + 5 * 60e3 }), now)).toBe('requests.dueIn:4 h 05 min')
  })
  it('reads overdue (red) once the deadline passed, or when the server says so', () => {
    const late = req('accepted', { due_at: now - 5 * 60e3 })
    expect(dueState(late, now).overdue).toBe(true)
    expect(dueText(t, late, now)).toBe('requests.overdueBy:5 min')
    expect(dueState(req('open', { due_at: now }), now).overdue).toBe(true)
    expect(dueState(req('open', { due_at: now + 60e3, overdue: true }), now).overdue).toBe(true)
  })
  it('shows no deadline once done or closed, or without one', () => {
    expect(dueState(req('done', { due_at: now - 1 }), now)).toEqual({ show: false, overdue: false, left: null })
    expect(dueText(t, req('closed', { due_at: now - 1 }), now)).toBe('')
    expect(dueState(req('open', { due_at: null }), now).show).toBe(false)
  })
})

describe('requests: queue and forms', () => {
  it('turns the tabs into list queries', () => {
    expect(tabQuery('mine')).toEqual({ mine: 1 })
    expect(tabQuery('overdue')).toEqual({ overdue: 1 })
    expect(tabQuery('all')).toEqual({})
    expect(defaultTab('grid')).toBe('mine')
    expect(defaultTab('commander')).toBe('all')
  })
  it('builds a new request\'s body: the worker names the person, empty phone left out', () => {
    expect(raiseBody({ personId: 42, kind: 'medicine', urgency: 'urgent', detail: ' 降压药 ', contactPhone: '' }))
      .toEqual({ person_id: '42', kind: 'medicine', urgency: 'urgent', detail: '降压药' })
    expect(raiseBody({ kind: 'other', detail: 'x', contactPhone: ' 13800000000 ' }))
      .toEqual({ kind: 'other', urgency: 'normal', detail: 'x', contact_phone: '13800000000' })
  })
  it('checks a form before sending, naming the field', () => {
    const ok = { personId: '1', kind: 'medicine', detail: '药' }
    expect(raiseProblem(ok, { needPerson: true })).toBe(null)
    expect(raiseProblem({ ...ok, personId: '' }, { needPerson: true })).toEqual({ field: 'person_id', key: 'requests.pickPerson' })
    expect(raiseProblem({ ...ok, personId: '' })).toBe(null)
    expect(raiseProblem({ ...ok, kind: 'food' })).toEqual({ field: 'kind', key: 'requests.pickKind' })
    expect(raiseProblem({ ...ok, detail: '  ' })).toEqual({ field: 'detail', key: 'requests.detailRequired' })
    expect(raiseProblem({ ...ok, detail: '药'.repeat(1000) })).toBe(null)
    expect(raiseProblem({ ...ok, detail: '药'.repeat(1001) })).toEqual({ field: 'detail', key: 'requests.detailTooLong' })
    expect(KINDS).toContain('elderly_help')
  })
  it('lays out the counts with every key and figure', () => {
    expect(countRows({ grid: 3, street: 1 }, ['building', 'grid'])).toEqual([{ key: 'building', n: 0 }, { key: 'grid', n: 3 }, { key: 'street', n: 1 }])
    expect(dayRows({ by_day: [{ day: '2022-04-01', raised: 2 }] })).toEqual([{ day: '2022-04-01', raised: 2, closed: 0, escalated: 0 }])
    expect(dayRows(null)).toEqual([])
  })
})

describe('requests: running an action', () => {
  it('asks for the text of an action that has one, and sends nothing without a required reason', async () => {
    const { useRequestActions } = await import('../src/modules/requests/actions.js')
    const done = []
    const acts = useRequestActions(t, (r, a) => done.push(a))
    expect(await acts.start(req('open'), 'close')).toBe(false)
    expect(acts.state.open).toBe(true)
    expect(acts.state.action).toBe('close')
    acts.state.text = '   '
    expect(await acts.submit()).toBe(false)
    expect(acts.state.error).toBe('requests.textRequired')
    expect(acts.state.open).toBe(true)
    expect(acts.state.busy).toBe(false)
    expect(done).toEqual([])
  })
})
