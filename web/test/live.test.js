// The live-update scheduler of the testing screens, with a stand-in EventSource and fake
// timers: events are debounced into one refresh; a "coverage" pulse (at most one a second per
// round from the server) is followed by one more refresh after the pulse's second, so the
// last scans of a burst show; other rounds' events are dropped; the poll stays as a fallback.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { createLive, eventRound, forRound } from '../src/lib/live.js'

class FakeSource {
  static OPEN = 1
  static last = null
  constructor(href) {
    this.href = href
    this.readyState = 1
    this.listeners = {}
    this.closed = false
    FakeSource.last = this
  }
  addEventListener(kind, fn) {
    this.listeners[kind] = fn
  }
  close() {
    this.closed = true
  }
  emit(kind, data) {
    const fn = kind === 'message' ? this.onmessage : this.listeners[kind]
    if (fn) fn({ type: kind, data: JSON.stringify(data), lastEventId: '1' })
  }
}

const pulse = (round) => ({ kind: 'coverage', area_path: '/1/', payload: { round_id: round } })

describe('live updates', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function start(opts = {}) {
    const refresh = vi.fn()
    const live = createLive(refresh, { EventSourceImpl: FakeSource, visible: () => true, ...opts })
    return { refresh, live, es: FakeSource.last }
  }

  it('listens on /api/v1/events and debounces a flurry of events into one refresh', () => {
    const { refresh, live, es } = start()
    expect(es.href).toBe('/api/v1/events')
    es.emit('alert', { kind: 'alert', payload: {} })
    es.emit('round_opened', { kind: 'round_opened', payload: { round_id: '7' } })
    vi.advanceTimersByTime(599)
    expect(refresh).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(live.state.events).toBe(2)
    live.stop()
    expect(es.closed).toBe(true)
  })

  it('refreshes again after a coverage pulse\'s second, for the scans that second sent no event for', () => {
    const { refresh, live, es } = start()
    es.emit('coverage', pulse('7'))
    vi.advanceTimersByTime(600)
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(699)
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    expect(refresh).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(5000)
    expect(refresh).toHaveBeenCalledTimes(2)
    live.stop()
  })

  it('under steady pulses refreshes once per pulse, and once more after the last', () => {
    const { refresh, live, es } = start()
    for (let i = 0; i < 5; i++) {
      es.emit('coverage', pulse('7'))
      vi.advanceTimersByTime(1000)
    }
    expect(refresh).toHaveBeenCalledTimes(5)
    vi.advanceTimersByTime(300)
    expect(refresh).toHaveBeenCalledTimes(6)
    live.stop()
  })

  it('drops events about another round, keeps those naming none', () => {
    let round = '7'
    const { refresh, live, es } = start({ filter: forRound(() => round) })
    es.emit('coverage', pulse('8'))
    vi.advanceTimersByTime(3000)
    expect(refresh).not.toHaveBeenCalled()
    es.emit('alert', { kind: 'alert', payload: { id: '99' } })
    vi.advanceTimersByTime(600)
    expect(refresh).toHaveBeenCalledTimes(1)
    round = '8'
    es.emit('coverage', pulse('8'))
    vi.advanceTimersByTime(3000)
    expect(refresh).toHaveBeenCalledTimes(3)
    expect(eventRound({ data: { round_id: 5 } })).toBe('5')
    expect(eventRound({ data: { payload: {} } })).toBe('')
    live.stop()
  })

  it('polls as a fallback, and stops polling when stopped', () => {
    const { refresh, live } = start({ pollMs: 10000 })
    vi.advanceTimersByTime(10000)
    expect(refresh).toHaveBeenCalledWith({ kind: 'poll' })
    live.stop()
    vi.advanceTimersByTime(30000)
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
