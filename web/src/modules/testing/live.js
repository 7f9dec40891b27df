// Live updates for the testing screens: the server's event stream (GET /api/v1/events,
// Server-Sent Events, only events inside the caller's scope) and, because a proxy or a phone
// network may break the stream, a poll every few seconds as well. The screen passes what to do
// and gets one debounced call however many events arrive together.
import { onBeforeUnmount, reactive } from 'vue'
import { url } from '../../api/endpoints.js'

/* Event kinds that change testing figures (alerts such as positive pools, round changes,
 * call-ups; "scan" and "coverage" for per-scan hints), and "resync" after a gap in the stream;
 * the stream's unnamed "message" events count too. */
export const TESTING_EVENTS = ['alert', 'resync', 'round_created', 'round_updated', 'round_opened', 'round_closed',
  'callup_done', 'scan', 'coverage']

/* refresh(event) is called at most once per debounceMs after events, and every pollMs. */
export function useLive(refresh, { pollMs = 10000, debounceMs = 600, kinds = TESTING_EVENTS, filter = null } = {}) {
  const state = reactive({ stream: false, events: 0, last: null })
  let es = null
  let timer = null
  let poll = null

  function soon(ev) {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      refresh(ev)
    }, debounceMs)
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
  }

  function start() {
    if (typeof EventSource !== 'undefined') {
      es = new EventSource(url('events'))
      es.onopen = () => (state.stream = true)
      es.onerror = () => (state.stream = es && es.readyState === EventSource.OPEN)
      es.onmessage = onEvent
      for (const k of kinds) es.addEventListener(k, onEvent)
    }
    poll = setInterval(() => {
      if (document.visibilityState !== 'hidden') refresh({ kind: 'poll' })
    }, pollMs)
  }

  function stop() {
    if (es) es.close()
    es = null
    clearInterval(poll)
    clearTimeout(timer)
    timer = null
    state.stream = false
  }

  start()
  onBeforeUnmount(stop)
  return { state, stop }
}
