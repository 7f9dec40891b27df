// outbox: the phone pages' writes that must survive a lost connection — the registrar's desk
// actions (open a tube, scan, undo, close, a visitor), gate passes, delivery sign-offs, health
// reports. Each page makes one with its own storage key; every action is written to
// localStorage first and sent from here, one at a time and in order, each with the client key
// it was queued with. A failure of the connection (no reply, 5xx, 408/429, a lapsed session)
// keeps the action at the head of the queue and retries it later with the same client key, so
// the server counts it once; a refusal (any other 4xx) drops it and reports it. A page reload,
// an app opened with no network or a dead battery loses nothing that was queued.
import { reactive } from 'vue'

/* Dispatched on window by the session (api/session.js) each time the server accepts it. */
export const SESSION_EVENT = 'fk-session'

/* Whether an error means "try again later" rather than "the server said no". */
export function isTransient(e) {
  if (!e || typeof e.status !== 'number' || e.status === 0) return true
  if (e.status >= 500 || e.status === 408 || e.status === 429) return true
  return isAuthLapse(e)
}

/* The session ended (expired, or another login): keep the queue until the user logs in again. */
export function isAuthLapse(e) {
  return !!e && (e.status === 401 || (e.status === 403 && e.code === 'csrf'))
}

function load(storage, key) {
  try {
    const v = JSON.parse(storage.getItem(key) || '[]')
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}

/* opts: key (storage key), send(op) -> Promise<reply>, onSent(op, reply), onRefused(op, error),
 * storage, retryMs (first retry delay, doubled per failure up to maxRetryMs), win (event target
 * for 'online'; null in tests). */
export function createOutbox(opts) {
  const storage = opts.storage || globalThis.localStorage
  const retryMs = opts.retryMs ?? 2000
  const maxRetryMs = opts.maxRetryMs ?? 20000
  const win = opts.win === undefined ? globalThis.window : opts.win
  const items = reactive(load(storage, opts.key))
  const state = reactive({ sending: null, failures: 0, authLapsed: false, lastError: '' })
  let timer = null
  let running = false
  let stopped = false

  const save = () => storage.setItem(opts.key, JSON.stringify(items))

  function schedule(ms) {
    if (timer || stopped || !items.length) return
    timer = setTimeout(() => {
      timer = null
      kick()
    }, ms)
  }

  async function sendHead(op) {
    state.sending = op.id
    op.tries = (op.tries || 0) + 1
    save()
    try {
      const reply = await opts.send(op)
      items.shift()
      save()
      state.failures = 0
      state.authLapsed = false
      state.lastError = ''
      opts.onSent && opts.onSent(op, reply)
      return true
    } catch (e) {
      if (isTransient(e)) {
        state.failures++
        state.authLapsed = isAuthLapse(e)
        state.lastError = e.message || String(e)
        return false
      }
      items.shift()
      save()
      opts.onRefused && opts.onRefused(op, e)
      return true
    } finally {
      state.sending = null
    }
  }

  /* Sends what is queued, in order, until the queue is empty or the connection fails. */
  async function kick() {
    if (running || stopped) return
    running = true
    if (timer) clearTimeout(timer), (timer = null)
    try {
      while (items.length && !stopped) {
        if (!(await sendHead(items[0]))) {
          schedule(Math.min(maxRetryMs, retryMs * 2 ** Math.min(10, state.failures - 1)))
          break
        }
      }
    } finally {
      running = false
    }
  }

  function push(op) {
    items.push({ ...op, tries: 0, queued_at: new Date().toISOString() })
    save()
    kick()
  }

  /* Drops a queued action that has not been sent yet (a wrong scan undone while offline). */
  function remove(id) {
    const i = items.findIndex((o) => o.id === id)
    if (i < 0 || state.sending === id) return false
    items.splice(i, 1)
    save()
    return true
  }

  /* Back online, or a session (re)opened (SESSION_EVENT: a fresh CSRF token after a lapse,
   * or after a write beat the session's own check on return): try again now. */
  const online = () => {
    state.failures = 0
    kick()
  }
  if (win) win.addEventListener('online', online)
  if (win) win.addEventListener(SESSION_EVENT, online)

  function stop() {
    stopped = true
    if (timer) clearTimeout(timer)
    timer = null
    if (win) win.removeEventListener('online', online)
    if (win) win.removeEventListener(SESSION_EVENT, online)
  }

  return { items, state, push, remove, kick, stop }
}
