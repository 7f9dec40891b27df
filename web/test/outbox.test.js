// The shared outbox of the phone pages (lib/outbox.js): scans, passes and sign-offs kept
// through a broken connection and sent each exactly once under its client key; and the lists
// kept for a phone with no network (lib/kept.js).
import { describe, it, expect, vi } from 'vitest'
import { SESSION_EVENT, createOutbox, isTransient } from '../src/lib/outbox.js'
import { connectionFailed, forgetKept, getKept, keptKey, useKept } from '../src/lib/kept.js'

function memoryStorage() {
  const m = new Map()
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size
    },
    map: m,
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('outbox', () => {
  const netError = () => Object.assign(new TypeError('Failed to fetch'))
  const refusal = (code) => Object.assign(new Error(code), { status: 409, code })

  it('classifies failures', () => {
    expect(isTransient(netError())).toBe(true)
    expect(isTransient({ status: 503 })).toBe(true)
    expect(isTransient({ status: 401 })).toBe(true)
    expect(isTransient({ status: 403, code: 'csrf' })).toBe(true)
    expect(isTransient({ status: 409, code: 'tube_full' })).toBe(false)
    expect(isTransient({ status: 404, code: 'unknown_person' })).toBe(false)
  })

  it('sends in order, keeps the key across retries and survives a reload', async () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    let down = true
    const seen = []
    const send = vi.fn(async (op) => {
      seen.push(op.id)
      if (down) throw netError()
      return { ok: op.id }
    })
    const sent = []
    const q = createOutbox({ key: 'q', storage, send, onSent: (op) => sent.push(op.id), win: null, retryMs: 1000 })
    q.push({ id: 'k1', kind: 'scan' })
    q.push({ id: 'k2', kind: 'scan' })
    await vi.advanceTimersByTimeAsync(0)
    expect(q.items.length).toBe(2)
    expect(JSON.parse(storage.getItem('q')).map((o) => o.id)).toEqual(['k1', 'k2'])
    q.stop()

    // A reload: a new queue over the same storage carries on with the same keys.
    down = false
    const q2 = createOutbox({ key: 'q', storage, send, onSent: (op) => sent.push(op.id), win: null, retryMs: 1000 })
    expect(q2.items.map((o) => o.id)).toEqual(['k1', 'k2'])
    await q2.kick()
    expect(sent).toEqual(['k1', 'k2'])
    expect(seen.filter((k) => k === 'k1').length).toBeGreaterThanOrEqual(2)
    expect(q2.items.length).toBe(0)
    expect(JSON.parse(storage.getItem('q'))).toEqual([])
    q2.stop()
    vi.useRealTimers()
  })

  it('retries on a timer after a failure and on the online event', async () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    let fails = 2
    const send = vi.fn(async () => {
      if (fails-- > 0) throw netError()
      return {}
    })
    const win = new EventTarget()
    const q = createOutbox({ key: 'q', storage, send, win, retryMs: 1000 })
    q.push({ id: 'a' })
    await vi.advanceTimersByTimeAsync(0)
    expect(send).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(send).toHaveBeenCalledTimes(2)
    win.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(send).toHaveBeenCalledTimes(3)
    expect(q.items.length).toBe(0)
    q.stop()
    vi.useRealTimers()
  })

  it('tries again at once when the session is accepted after a lapse', async () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    let token = ''
    const send = vi.fn(async () => {
      if (!token) throw Object.assign(new Error('csrf'), { status: 403, code: 'csrf' })
      return {}
    })
    const win = new EventTarget()
    const q = createOutbox({ key: 'q', storage, send, win, retryMs: 60000 })
    q.push({ id: 'a' })
    await vi.advanceTimersByTimeAsync(0)
    expect(q.state.authLapsed).toBe(true)
    expect(q.items.length).toBe(1)
    token = 'fresh'
    win.dispatchEvent(new Event(SESSION_EVENT))
    await vi.advanceTimersByTimeAsync(0)
    expect(send).toHaveBeenCalledTimes(2)
    expect(q.items.length).toBe(0)
    expect(q.state.authLapsed).toBe(false)
    q.stop()
    vi.useRealTimers()
  })

  it('drops a refused action, reports it and goes on with the next', async () => {
    const storage = memoryStorage()
    const refused = []
    const send = async (op) => {
      if (op.id === 'bad') throw refusal('already_in_tube')
      return {}
    }
    const q = createOutbox({ key: 'q', storage, send, win: null, onRefused: (op, e) => refused.push([op.id, e.code]) })
    q.push({ id: 'bad' })
    q.push({ id: 'good' })
    await tick()
    await tick()
    expect(refused).toEqual([['bad', 'already_in_tube']])
    expect(q.items.length).toBe(0)
    q.stop()
  })

  it('lets a queued action be taken back unless it is on its way', async () => {
    const storage = memoryStorage()
    let release
    const send = () => new Promise((r) => (release = r))
    const q = createOutbox({ key: 'q', storage, send, win: null })
    q.push({ id: 'x' })
    q.push({ id: 'y' })
    expect(q.remove('x')).toBe(false)
    expect(q.remove('y')).toBe(true)
    release({})
    await tick()
    expect(q.items.length).toBe(0)
    q.stop()
  })
})


describe('kept lists', () => {
  const netError = () => new TypeError('Failed to fetch')
  const refusal = (status, code) => Object.assign(new Error(code), { status, code })

  it('keys a GET by user, path and its query in a stable order, without empty values', () => {
    expect(keptKey(7, '/api/v1/rounds', { status: 'sampling', limit: 100, area_id: '' })).toBe('fk.kept.7./api/v1/rounds?limit=100&status=sampling')
    expect(keptKey(7, '/api/v1/rounds', { limit: 100, status: 'sampling' })).toBe(keptKey(7, '/api/v1/rounds', { status: 'sampling', limit: 100 }))
    expect(keptKey(8, '/api/v1/sites')).toBe('fk.kept.8./api/v1/sites')
  })

  it('tells a failed connection from a refusal', () => {
    expect(connectionFailed(netError())).toBe(true)
    expect(connectionFailed({ status: 502 })).toBe(true)
    expect(connectionFailed({ status: 429 })).toBe(true)
    expect(connectionFailed({ status: 401 })).toBe(false)
    expect(connectionFailed({ status: 404 })).toBe(false)
  })

  it('serves the last reply, with its time, when the connection fails', async () => {
    const storage = memoryStorage()
    let reply = { items: [1, 2] }
    let fail = null
    const fetch = async () => {
      if (fail) throw fail
      return reply
    }
    const fresh = await getKept('/api/v1/sites', { a: 1 }, { user: 3, storage, fetch, now: () => 1000 })
    expect(fresh).toEqual({ data: { items: [1, 2] }, at: 1000, kept: false })
    reply = { items: [3] }
    await getKept('/api/v1/sites', { a: 1 }, { user: 3, storage, fetch, now: () => 2000 })
    fail = netError()
    const shown = await getKept('/api/v1/sites', { a: 1 }, { user: 3, storage, fetch, now: () => 9000 })
    expect(shown).toEqual({ data: { items: [3] }, at: 2000, kept: true })
    // another user, or another query, has nothing kept: the error is passed on
    await expect(getKept('/api/v1/sites', { a: 1 }, { user: 4, storage, fetch })).rejects.toThrow('Failed to fetch')
    await expect(getKept('/api/v1/sites', { a: 2 }, { user: 3, storage, fetch })).rejects.toThrow('Failed to fetch')
  })

  it('passes a refusal on rather than showing the kept copy', async () => {
    const storage = memoryStorage()
    await getKept('/x', null, { user: 1, storage, fetch: async () => ({ ok: 1 }) })
    const denied = getKept('/x', null, { user: 1, storage, fetch: async () => { throw refusal(403, 'forbidden') } })
    await expect(denied).rejects.toMatchObject({ status: 403, code: 'forbidden' })
  })

  it('forgets one user\'s lists on logout and the oldest past its limit', async () => {
    const storage = memoryStorage()
    storage.setItem('fk.scanq.amy', '[{"id":"k"}]')
    const fetch = async (p) => ({ p })
    for (let i = 0; i < 70; i++) await getKept('/l' + i, null, { user: 1, storage, fetch, now: () => i })
    await getKept('/mine', null, { user: 2, storage, fetch })
    const userOne = [...storage.map.keys()].filter((k) => k.startsWith('fk.kept.1.'))
    expect(userOne.length).toBeLessThanOrEqual(60)
    expect(storage.getItem('fk.kept.1./l69')).not.toBeNull()
    expect(storage.getItem('fk.kept.1./l0')).toBeNull()
    forgetKept(1, storage)
    expect([...storage.map.keys()].filter((k) => k.startsWith('fk.kept.1.'))).toEqual([])
    expect(storage.getItem('fk.kept.2./mine')).not.toBeNull()
    expect(storage.getItem('fk.scanq.amy')).toBe('[{"id":"k"}]') // the outbox is not a kept list
  })

  it('makes room in a full storage by dropping the oldest kept replies', async () => {
    const storage = memoryStorage()
    const setItem = storage.setItem
    storage.setItem = (k, v) => {
      if (storage.map.size >= 3 && !storage.map.has(k)) throw new DOMException('full', 'QuotaExceededError')
      setItem(k, v)
    }
    const fetch = async (p) => ({ p })
    for (let i = 0; i < 5; i++) await getKept('/l' + i, null, { user: 1, storage, fetch, now: () => i })
    expect(storage.getItem('fk.kept.1./l4')).not.toBeNull()
    expect(storage.getItem('fk.kept.1./l0')).toBeNull()
    expect(storage.map.size).toBe(3)
  })

  it('gives a page the time of what it shows kept, and forgets it once fresh', async () => {
    const storage = memoryStorage()
    globalThis.localStorage = storage
    try {
      const session = { user: { id: 5 } }
      const kept = useKept(session)
      let down = false
      const original = globalThis.fetch
      globalThis.fetch = async () => {
        if (down) throw netError()
        return new Response(JSON.stringify({ items: ['a'] }), { status: 200 })
      }
      try {
        expect(await kept.get('/api/v1/checkpoints')).toEqual({ items: ['a'] })
        expect(kept.at.value).toBeNull()
        down = true
        expect(await kept.get('/api/v1/checkpoints')).toEqual({ items: ['a'] })
        expect(typeof kept.at.value).toBe('number')
        down = false
        await kept.get('/api/v1/checkpoints')
        expect(kept.at.value).toBeNull()
      } finally {
        globalThis.fetch = original
      }
    } finally {
      delete globalThis.localStorage
    }
  })
})
