// What the request screens share without a screen: the kinds, urgencies, statuses and levels
// the API speaks, which actions a role may take on a request in its status, what each action
// sends, how a deadline reads (time left or overdue), the queue's tabs as list queries and
// the events that make the queue refresh itself.
import { duration } from '../testing/common.js'

export const KINDS = ['medicine', 'medical', 'supplies', 'elderly_help', 'complaint', 'other']
export const URGENCIES = ['normal', 'urgent']
export const STATUSES = ['open', 'accepted', 'done', 'closed']
export const LEVELS = ['building', 'grid', 'community', 'street', 'district']
export const STAFF = ['admin', 'commander', 'community', 'grid', 'building']
export const DETAIL_MAX = 1000

/* What each action sends: its endpoint's name, the field of its text (note, reason) or none,
 * and whether the text is required (the server refuses a close or an escalation without a
 * reason; a reopening may give one). */
export const ACTIONS = {
  accept: { endpoint: 'requestAccept', field: '', required: false },
  done: { endpoint: 'requestDone', field: 'note', required: false },
  close: { endpoint: 'requestClose', field: 'reason', required: true },
  escalate: { endpoint: 'requestEscalate', field: 'reason', required: true },
  reopen: { endpoint: 'requestReopen', field: 'reason', required: false },
  confirm: { endpoint: 'requestConfirm', field: '', required: false },
}

/* Whether a request still waits for someone: open or accepted (its deadline runs). */
export function isPending(r) {
  return !!r && (r.status === 'open' || r.status === 'accepted')
}

/* The actions a staff member has on r, in the order the buttons show: accept an open one;
 * mark done, close with a reason or escalate one still pending (not past the top level);
 * close a done one; reopen a done or closed one. */
export function staffActions(r) {
  if (!r) return []
  switch (r.status) {
    case 'open':
      return ['accept', 'done', ...(r.level === 'district' ? [] : ['escalate']), 'close']
    case 'accepted':
      return ['done', ...(r.level === 'district' ? [] : ['escalate']), 'close']
    case 'done':
      return ['close', 'reopen']
    case 'closed':
      return ['reopen']
    default:
      return []
  }
}

/* The resident's actions on its own request: confirm it solved while open or done, reopen it
 * when done or closed and not solved. */
export function residentActions(r) {
  if (!r) return []
  if (r.status === 'open') return ['confirm']
  if (r.status === 'done') return ['confirm', 'reopen']
  if (r.status === 'closed') return ['reopen']
  return []
}

/* The actions of role on r (a resident's own; staff in scope); none for other roles. */
export function actionsFor(r, role) {
  if (role === 'resident') return residentActions(r)
  return STAFF.includes(role) ? staffActions(r) : []
}

/* The body of POST /requests/{id}/{action} with the text typed, or an error key when the
 * action needs a text and got none ({body} or {error}). */
export function actionBody(action, text) {
  const a = ACTIONS[action]
  if (!a) return { error: 'requests.badAction' }
  const v = String(text || '').trim()
  if (a.required && !v) return { error: 'requests.textRequired' }
  if (!a.field || !v) return { body: {} }
  return { body: { [a.field]: v } }
}

/* A deadline against now (ms): {show, overdue, left (ms, negative once past)}. A request done
 * or closed shows none; the server's overdue flag counts even before the clock says so. */
export function dueState(r, now = Date.now()) {
  if (!r || !isPending(r) || r.due_at === null || r.due_at === undefined) return { show: false, overdue: false, left: null }
  const left = Number(r.due_at) - now
  return { show: true, overdue: !!r.overdue || left <= 0, left }
}

/* How the deadline reads: "还剩 35 min" / "已超时 5 min" (t gives the words), '' with none. */
export function dueText(t, r, now = Date.now()) {
  const s = dueState(r, now)
  if (!s.show) return ''
  const d = duration(Math.abs(s.left)) || '0 s'
  return s.overdue ? t('requests.overdueBy', { d }) : t('requests.dueIn', { d })
}

/* Element Plus tag type of a status and of an urgency. */
export function statusType(status) {
  return { open: 'danger', accepted: 'warning', done: 'primary', closed: 'success' }[status] || 'info'
}

export function urgencyType(urgency) {
  return urgency === 'urgent' ? 'danger' : 'info'
}

/* The queue's tabs as list queries: at my level (sitting at one of my scope areas), everything
 * in my scope still pending or not, the overdue ones. */
export const TABS = ['mine', 'all', 'overdue']

export function tabQuery(tab) {
  if (tab === 'mine') return { mine: 1 }
  if (tab === 'overdue') return { overdue: 1 }
  return {}
}

/* The tab a role opens with: workers at a level their own requests, the command centre and
 * the admin everything in scope. */
export function defaultTab(role) {
  return role === 'admin' || role === 'commander' ? 'all' : 'mine'
}

/* Events that change the queue: a request raised or escalated ("request"), an alert, and a
 * resync after a gap in the stream. */
export const REQUEST_EVENTS = ['request', 'alert', 'resync']

/* The body of POST /requests from a form: a worker names the person, a resident does not (the
 * server takes its own); empty optional fields left out. client_key is added when sent. */
export function raiseBody({ personId, kind, urgency, detail, contactPhone }) {
  const body = { kind, urgency: urgency || 'normal', detail: String(detail || '').trim() }
  if (personId) body.person_id = String(personId)
  const phone = String(contactPhone || '').trim()
  if (phone) body.contact_phone = phone
  return body
}

/* The form's own check before sending, as {field, key} or null: a kind, a detail within 1000
 * characters, a person for a worker. The server checks again. */
export function raiseProblem(form, { needPerson = false } = {}) {
  if (needPerson && !form.personId) return { field: 'person_id', key: 'requests.pickPerson' }
  if (!KINDS.includes(form.kind)) return { field: 'kind', key: 'requests.pickKind' }
  const n = [...String(form.detail || '').trim()].length
  if (!n) return { field: 'detail', key: 'requests.detailRequired' }
  if (n > DETAIL_MAX) return { field: 'detail', key: 'requests.detailTooLong' }
  return null
}

/* A day's row of the counts as the table shows it, with every figure present. */
export function dayRows(counts) {
  return ((counts && counts.by_day) || []).map((d) => ({
    day: d.day, raised: d.raised || 0, closed: d.closed || 0, escalated: d.escalated || 0,
  }))
}

/* {key: n} as rows [{key, n}] in the order of keys (those the reply lacks count 0), any
 * others after. */
export function countRows(map, keys) {
  const m = map || {}
  const rest = Object.keys(m).filter((k) => !keys.includes(k))
  return [...keys, ...rest].map((key) => ({ key, n: Number(m[key]) || 0 }))
}
