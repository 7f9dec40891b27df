// The registrar's desk: the chosen round and site, the tube being filled, and the outbox of desk
// actions (lib/outbox.js). It decides what a scanned code means (a tube barcode or a resident) and
// keeps the tube's count and names as the server answers. One desk per logged-in user, kept in
// localStorage with its queue, and alive across screens so queued scans keep going out.
import { computed, reactive, watch } from 'vue'
import { request } from '../../api/client.js'
import { url } from '../../api/endpoints.js'
import { createOutbox } from '../../lib/outbox.js'
import { classify, clientKey, maskCode, buzz } from './codes.js'

const SEND_TIMEOUT_MS = 15000
const SCAN_KINDS = ['scan', 'visitor']
let current = null

/* A request that gives up after SEND_TIMEOUT_MS (a hung connection counts as a failure). */
async function call(method, path, json) {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), SEND_TIMEOUT_MS)
  try {
    return await request(method, path, { json, signal: ctl.signal })
  } finally {
    clearTimeout(timer)
  }
}

async function openTube(op) {
  try {
    return await call('POST', url('tubeOpen', { id: op.round_id }), { code: op.tube, site_id: op.site_id, client_key: op.id })
  } catch (e) {
    // The tube exists already: carry on with it if it is this desk's open tube (a reload).
    if (e.status !== 409) throw e
    const tb = await call('GET', url('tube', { code: op.tube }))
    if (tb && tb.status === 'open' && String(tb.round_id) === String(op.round_id) && String(tb.site_id) === String(op.site_id)) return tb
    throw e
  }
}

async function send(op) {
  const code = op.tube
  switch (op.kind) {
    case 'open':
      return openTube(op)
    case 'scan':
      return call('POST', url('tubeScan', { code }), { [op.field]: op.value, client_key: op.id })
    case 'visitor':
      return call('POST', url('tubeVisitor', { code }), { ...op.visitor, client_key: op.id })
    case 'undo':
      try {
        return await call('DELETE', url('tubeUndo', { code, person_id: op.person_id }))
      } catch (e) {
        if (e.status === 404 && op.tries > 1) return null // an earlier attempt did it
        throw e
      }
    case 'close':
      return call('POST', url('tubeClose', { code })) // closing a closed tube changes nothing
    default:
      return null
  }
}

function person(s) {
  return {
    person_id: String(s.person_id ?? s.id ?? ''),
    name: s.name || s.person_name || '',
    id_number: s.id_number || '',
    area_name: s.area_name || s.building_name || '',
    household: s.household || '',
  }
}

function readJson(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) || fallback
  } catch {
    return fallback
  }
}

function createDesk(username) {
  const deskKey = `fk.desk.${username}`
  const desk = reactive(readJson(deskKey, { round_id: '', site_id: '', capacity: 10, tube: null }))
  const ui = reactive({ message: null, online: navigator.onLine })
  const queue = createOutbox({ key: `fk.scanq.${username}`, send, onSent, onRefused })
  watch(desk, () => localStorage.setItem(deskKey, JSON.stringify(desk)), { deep: true })
  window.addEventListener('online', () => (ui.online = true))
  window.addEventListener('offline', () => (ui.online = false))

  const mine = (op) => desk.tube && op.tube === desk.tube.code
  const pendingScans = computed(() => queue.items.filter((op) => mine(op) && SCAN_KINDS.includes(op.kind)))
  const pendingUndo = computed(() => new Set(queue.items.filter((op) => mine(op) && op.kind === 'undo').map((op) => op.person_id)))
  const closing = computed(() => queue.items.some((op) => mine(op) && op.kind === 'close'))
  const count = computed(() => (desk.tube ? desk.tube.n + pendingScans.value.length - pendingUndo.value.size : 0))
  const capacity = computed(() => (desk.tube && desk.tube.capacity) || desk.capacity || 10)
  const accepting = computed(() => {
    const tb = desk.tube
    return !!tb && (tb.status === 'open' || tb.status === 'pending') && !closing.value && count.value < capacity.value
  })

  function say(ok, key, params = {}, extra = {}) {
    ui.message = { ok, key, params, at: Date.now(), ...extra }
    buzz(ok)
  }

  /* Takes what the server said about the tube: a tube object, or {tube, sample|person}. */
  function apply(reply, op) {
    const tb = desk.tube
    if (!tb || !reply || typeof reply !== 'object') return
    const src = reply.tube || (reply.code === tb.code ? reply : null)
    if (src) {
      for (const k of ['status', 'n', 'capacity']) if (src[k] !== undefined && src[k] !== null) tb[k] = src[k]
      if (Array.isArray(src.samples)) tb.samples = src.samples.map(person)
    }
    const s = reply.sample || reply.person
    if (s && !(src && Array.isArray(src.samples))) {
      const p = person(s)
      if (!tb.samples.some((x) => x.person_id === p.person_id)) {
        tb.samples.push(p)
        if (!src || src.n === undefined) tb.n++
      }
    }
    if (op && SCAN_KINDS.includes(op.kind) && s) say(true, 'testing.desk.added', { name: person(s).name })
  }

  async function sync() {
    const tb = desk.tube
    if (!tb || tb.status === 'pending' || tb.status === 'refused') return
    try {
      apply(await call('GET', url('tube', { code: tb.code })))
    } catch {
      /* the next action or a reload brings it */
    }
  }

  function onSent(op, reply) {
    if (!mine(op)) return
    const tb = desk.tube
    if (op.kind === 'open') tb.status = 'open'
    if (op.kind === 'undo') {
      tb.samples = tb.samples.filter((s) => s.person_id !== op.person_id)
      tb.n = Math.max(0, tb.n - 1)
    }
    if (op.kind === 'close') tb.status = 'closed'
    apply(reply, op)
    if (!queue.items.some(mine)) sync()
  }

  function onRefused(op, e) {
    // Scanned twice into the same tube: it is there already, which is what the registrar wanted.
    if (e.code === 'already_scanned' && mine(op)) {
      say(true, 'testing.desk.alreadyHere', { code: op.label })
      return sync()
    }
    const extra = { label: op.label, server: e.message, code: e.code, value: op.field === 'id_number' ? op.value : '' }
    say(false, 'testing.desk.refused', {}, extra)
    if (!mine(op)) return
    if (op.kind === 'open') {
      desk.tube.status = 'refused'
      for (const o of queue.items.filter(mine).slice()) queue.remove(o.id)
      return
    }
    sync()
  }

  function scanPerson(c) {
    if (c.kind === 'bad_id') return say(false, 'testing.desk.badId', { code: c.value })
    if (!accepting.value) return say(false, desk.tube ? 'testing.desk.tubeFull' : 'testing.desk.scanTubeFirst')
    if (pendingScans.value.some((op) => op.value === c.value)) return say(false, 'testing.desk.twice', { code: maskCode(c.kind, c.value) })
    const label = maskCode(c.kind, c.value)
    queue.push({ id: clientKey(), kind: 'scan', tube: desk.tube.code, field: c.kind, value: c.value, label })
    say(true, 'testing.desk.queuedScan', { code: label })
  }

  function startTube(code) {
    if (accepting.value && count.value > 0) return say(false, 'testing.desk.closeFirst', { code: desk.tube.code })
    if (desk.tube && desk.tube.code === code && desk.tube.status !== 'refused' && desk.tube.status !== 'closed') return
    // An empty tube whose opening has not gone out yet is simply forgotten.
    for (const op of queue.items.filter((o) => mine(o) && o.kind === 'open')) queue.remove(op.id)
    desk.tube = { code, round_id: desk.round_id, site_id: desk.site_id, status: 'pending', n: 0, capacity: desk.capacity, samples: [] }
    queue.push({ id: clientKey(), kind: 'open', tube: code, round_id: desk.round_id, site_id: desk.site_id, label: code })
    say(true, 'testing.desk.opened', { code })
  }

  /* A code from the wedge input, the camera or the keyboard. */
  function onCode(raw) {
    const c = classify(raw)
    if (c.kind === 'empty') return
    if (!desk.round_id || !desk.site_id) return say(false, 'testing.desk.pickFirst')
    if (c.kind === 'other') {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(c.value)) return say(false, 'testing.desk.badCode', { code: c.value.slice(0, 40) })
      return startTube(c.value)
    }
    scanPerson(c)
  }

  function undo(item) {
    if (item.pending) return queue.remove(item.id)
    queue.push({ id: clientKey(), kind: 'undo', tube: desk.tube.code, person_id: item.person_id, label: item.name })
  }

  function close() {
    if (!desk.tube || closing.value || desk.tube.status === 'closed') return
    queue.push({ id: clientKey(), kind: 'close', tube: desk.tube.code, label: desk.tube.code })
  }

  function addVisitor(visitor) {
    if (!accepting.value) return say(false, 'testing.desk.scanTubeFirst')
    queue.push({ id: clientKey(), kind: 'visitor', tube: desk.tube.code, visitor, label: visitor.name })
  }

  /* What the tube list shows: the server's names, then the scans still queued. */
  const list = computed(() => {
    if (!desk.tube) return []
    const sent = desk.tube.samples.map((s) => ({ ...s, key: s.person_id, undoing: pendingUndo.value.has(s.person_id) }))
    const waiting = pendingScans.value.map((op) => ({ key: op.id, id: op.id, name: op.label, pending: true, sending: queue.state.sending === op.id }))
    return sent.concat(waiting)
  })

  return { username, desk, ui, queue, count, capacity, accepting, closing, list, onCode, undo, close, addVisitor, sync }
}

export function useDesk(username) {
  if (!current || current.username !== username) {
    if (current) current.queue.stop()
    current = createDesk(username)
  }
  current.queue.kick()
  return current
}
