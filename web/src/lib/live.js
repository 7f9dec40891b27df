// Live updates for the screens (testing, requests, deliveries, the dashboard): the server's
// event stream (GET /api/v1/events, Server-Sent Events, only events inside the caller's scope)
// and, because a proxy or a phone network may break the stream, a poll every few seconds as
// well. The screen passes what to do and gets one debounced call however many events arrive
// together.
import { onBeforeUnmount, reactive } from 'vue'
import { url } from '../api/endpoints.js'

/* Event kinds that change testing figures (alerts such as positive pools, round changes,
 * call-ups; "scan" and "coverage" for per-scan hints), and "resync" after a gap in the stream;
 * the stream's unnamed "message" events count too. */
export const TESTING_EVENTS = ['alert', 'resync', 'round_created', 'round_updated', 'round_opened', 'round_closed',
  'callup_done', 'scan', 'coverage']

/* Kinds the server sends at most once a second per round, on the first change of that second
 * (the "coverage" pulse): the changes made later in that second send nothing, so one more
 * refresh follows a little over a second after the last such event. */
export const TRAILING_EVENTS = ['coverage']

/* The round an event is about, as a string, or '' when it names none. */
export function eventRound(e) {
  const d = (e && e.data) || {}
  const id = d.round_id ?? (d.payload && d.payload.round_id)
  return id === undefined || id === null ? '' : String(id)
}

/* A filter for useLive that drops events about another round than roundId() (events naming
 * no round pass). */
export function forRound(roundId) {
  return (e) => {
    const r = eventRound(e)
    return !r || !roundId() || r === String(roundId())
  }
}

/* The stream and the poll without Vue: refresh(event) is called at most once per debounceMs
 * after events, again trailMs after the last of the trailing kinds, and every pollMs. Returns
 * {state, stop}. */
export function createLive(refresh, {
  pollMs = 10000, debounceMs = 600, trailMs = 1300, kinds = TESTING_EVENTS, trailing = TRAILING_EVENTS,
  filter = null, EventSourceImpl = globalThis.EventSource, visible = () => document.visibilityState !== 'hidden',
} = {}) {
  const state = reactive({ stream: false, events: 0, last: null })
  let es = null
  let timer = null
  let trail = null
  let poll = null

  function soon(ev) {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      refresh(ev)
    }, debounceMs)
  }

  function later(ev) {
    clearTimeout(trail)
    trail = setTimeout(() => {
      trail = null
      refresh(ev)
    }, trailMs)
  }

  function onEvent(ev) {
    let data = null
    try {
      data = ev.data ? JSON.parse(ev.data) : null
    } catch {
      data = null
    }
    const e = { kind: ev.type === 'message' ? (data && data.kind) || 'message' : ev.type, data, id: ev.lastEventId }
    if (filter && !filter(e)) return
    state.events++
    state.last = e
    soon(e)
    if (trailing.includes(e.kind)) later(e)
  }

  function start() {
    if (typeof EventSourceImpl !== 'undefined') {
      es = new EventSourceImpl(url('events'))
      es.onopen = () => (state.stream = true)
      es.onerror = () => (state.stream = es && es.readyState === EventSourceImpl.OPEN)
      es.onmessage = onEvent
      for (const k of kinds) es.addEventListener(k, onEvent)
    }
    poll = setInterval(() => {
      if (visible()) refresh({ kind: 'poll' })
    }, pollMs)
  }

  function stop() {
    if (es) es.close()
    es = null
    clearInterval(poll)
    clearTimeout(timer)
    clearTimeout(trail)
    timer = null
    trail = null
    state.stream = false
  }

  start()
  return { state, stop }
}

/* createLive for a component: stops when it unmounts. */
export function useLive(refresh, opts = {}) {
  const live = createLive(refresh, opts)
  onBeforeUnmount(live.stop)
  return live
}
