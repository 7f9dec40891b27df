// deliveries.js: what a household shows while its sign-off waits in the phone's queue, and the
// run's progress counting the queued ones.
import { describe, expect, it } from 'vitest'
import { progress, settled, shownOutcome } from '../src/modules/deliveries/deliveries.js'

const run = {
  id: '7', done: 1, total: 3,
  households: [{ key: '1-101', outcome: 'delivered' }, { key: '1-102', outcome: 'pending' }, { key: '1-103', outcome: 'pending' }],
}

describe('deliveries', () => {
  it('shows the server outcome, else the queued one, else pending', () => {
    const queued = [{ run_id: '7', key: '1-102', outcome: 'refused' }, { run_id: '8', key: '1-103', outcome: 'delivered' }]
    expect(shownOutcome(run.households[0], '7', queued)).toBe('delivered')
    expect(shownOutcome(run.households[1], '7', queued)).toBe('refused')
    expect(shownOutcome(run.households[2], '7', queued)).toBe('pending')
  })
  it('counts queued sign-offs of this run once in the progress', () => {
    const queued = [{ run_id: '7', key: '1-102', outcome: 'refused' }, { run_id: '7', key: '1-101', outcome: 'delivered' }]
    expect(progress(run, queued)).toEqual({ done: 2, total: 3 })
    expect(progress(null, queued)).toEqual({ done: 0, total: 0 })
  })
  it('keeps an acknowledged sign-off shown once it leaves the queue, until the run is fetched', () => {
    const op = { run_id: '7', key: '1-102', outcome: 'nobody_home' }
    const after = settled(run, op)
    expect(shownOutcome(after.households[1], '7', [])).toBe('nobody_home')
    expect(progress(after, [])).toEqual({ done: 2, total: 3 })
    expect(run.households[1].outcome).toBe('pending')
    expect(settled(after, op)).toBe(after)
    expect(settled(run, { ...op, run_id: '8' })).toBe(run)
    expect(settled(null, op)).toBe(null)
  })
})
