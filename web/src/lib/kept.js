// kept: the last reply of each list a phone page needs in the field (the registrar's rounds and
// sites, the gate's checkpoints and passes, the door-to-door lists, the delivery runs), kept in
// localStorage per user, so that the installed app opened with no network shows the page with
// what it last had, marked with the time it was fetched. Only a failed connection (no reply, 5xx,
// 408, 429) falls back on the kept copy; a refusal (401, 403, 404...) is passed on as it is,
// since the server answered. Logging out forgets what the user kept.
//   const kept = useKept(session, load)   // load: the page's reload, run when the network is back
//   rounds.value = (await kept.get(url('rounds'), { status: 'sampling' })).items
//   <KeptNote :at="kept.at.value" />   // "shown as of 09:12" while offline
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { get } from '../api/client.js'

const PREFIX = 'fk.kept.'
const MAX_ENTRIES = 60 /* oldest forgotten past this: a phone keeps a day's lists, not a history */

/* Whether an error is a failed connection (the server did not answer the question). */
export function connectionFailed(e) {
  if (!e || typeof e.status !== 'number' || e.status === 0) return true
  return e.status >= 500 || e.status === 408 || e.status === 429
}

/* The storage key of a GET: the user, the path and its query in a stable order. */
export function keptKey(user, path, query) {
  const q = Object.entries(query || {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  return `${PREFIX}${user}.${path}${q ? '?' + q : ''}`
}

function keys(storage, prefix) {
  const out = []
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i)
    if (k && k.startsWith(prefix)) out.push(k)
  }
  return out
}

function read(storage, key) {
  try {
    const v = JSON.parse(storage.getItem(key))
    return v && typeof v.at === 'number' ? v : null
  } catch {
    return null
  }
}

/* Keeps a reply; past MAX_ENTRIES (or a full storage) the oldest kept replies go first. */
function keep(storage, key, data, now) {
  const value = JSON.stringify({ at: now, data })
  const all = keys(storage, PREFIX).filter((k) => k !== key)
  const byAge = all.map((k) => [k, (read(storage, k) || { at: 0 }).at]).sort((a, b) => a[1] - b[1])
  while (byAge.length >= MAX_ENTRIES) storage.removeItem(byAge.shift()[0])
  for (;;) {
    try {
      storage.setItem(key, value)
      return
    } catch {
      if (!byAge.length) return /* too big to keep at all: the page still has it now */
      storage.removeItem(byAge.shift()[0])
    }
  }
}

/* GET through the keep. opts: user (whose copy), storage, fetch (path, query) -> Promise, now.
 * Resolves to { data, at, kept }: kept is true when the reply is the copy kept at `at` (ms).
 * Rejects with the request's error when it was refused, or when nothing was kept. */
export async function getKept(path, query, opts = {}) {
  const storage = opts.storage || globalThis.localStorage
  const fetchIt = opts.fetch || get
  const key = keptKey(opts.user ?? 'anon', path, query)
  try {
    const data = await fetchIt(path, query)
    const now = opts.now ? opts.now() : Date.now()
    keep(storage, key, data, now)
    return { data, at: now, kept: false }
  } catch (e) {
    const copy = connectionFailed(e) ? read(storage, key) : null
    if (!copy) throw e
    return { data: copy.data, at: copy.at, kept: true }
  }
}

/* Forgets every reply kept for a user (on logout), or for everyone with user omitted. */
export function forgetKept(user, storage = globalThis.localStorage) {
  for (const k of keys(storage, user === undefined ? PREFIX : `${PREFIX}${user}.`)) storage.removeItem(k)
}

/* A page's kept GETs for the session's user: get(path, query) resolves to the data, fresh or
 * kept; `at` is the time of the oldest kept copy the page shows (null while what it shows is
 * fresh). With reload (called in a component's setup), the page reads its lists again when the
 * browser is back online while it shows a kept one. */
export function useKept(session, reload) {
  const at = ref(null)
  if (reload) {
    const back = () => at.value !== null && reload()
    onMounted(() => window.addEventListener('online', back))
    onBeforeUnmount(() => window.removeEventListener('online', back))
  }
  async function getOne(path, query) {
    const r = await getKept(path, query, { user: (session.user && session.user.id) ?? 'anon' })
    if (r.kept) at.value = at.value === null ? r.at : Math.min(at.value, r.at)
    else at.value = null
    return r.data
  }
  return { get: getOne, at }
}
