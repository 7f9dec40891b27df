// Deliveries to sealed households: the outcomes of a sign-off, what a household shows while its
// sign-off waits in the phone's queue, and the run's progress.
export const OUTCOMES = ['delivered', 'nobody_home', 'refused']

/* The outcome a household shows: the one the server has, else the one waiting in the queue
 * (items of createScanQueue: {run_id, key, outcome}), else pending. */
export function shownOutcome(household, runId, queued) {
  if (household.outcome !== 'pending') return household.outcome
  const q = queued.find((o) => o.run_id === runId && o.key === household.key)
  return q ? q.outcome : 'pending'
}

/* Done and total of a run counting the sign-offs still queued for it. */
export function progress(run, queued) {
  if (!run) return { done: 0, total: 0 }
  const waiting = run.households.filter((h) => h.outcome === 'pending' &&
    queued.some((o) => o.run_id === run.id && o.key === h.key)).length
  return { done: run.done + waiting, total: run.total }
}
