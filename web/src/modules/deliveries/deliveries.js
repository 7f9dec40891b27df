// Deliveries to sealed households: the outcomes of a sign-off, what a household shows while its
// sign-off waits in the phone's queue, and the run's progress.
export const OUTCOMES = ['delivered', 'nobody_home', 'refused']

/* The outcome a household shows: the one the server has, else the one waiting in the queue
 * (items of createOutbox: {run_id, key, outcome}), else pending. */
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

/* The run with a sign-off the server has just acknowledged (an outbox item that leaves the
 * queue): its household shows the outcome from that moment, not pending again until the run is
 * fetched anew, so the rows below it do not jump while a finger is on its way to them. */
export function settled(run, op) {
  if (!run || op.run_id !== run.id) return run
  const h = run.households.find((x) => x.key === op.key)
  if (!h || h.outcome !== 'pending') return run
  return {
    ...run,
    done: run.done + 1,
    households: run.households.map((x) => (x === h ? { ...x, outcome: op.outcome } : x)),
  }
}

/* A photo file shrunk on the phone to a JPEG (longest side maxSide px) under the server's
 * 300 kB, as base64 without the data: prefix; lowers the quality until it fits. */
export async function jpegBase64(file, maxSide = 1280, limit = 300 * 1024) {
  const img = await createImageBitmap(file)
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(img.width * scale)
  canvas.height = Math.round(img.height * scale)
  canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height)
  for (let q = 0.8; q > 0.2; q -= 0.15) {
    const b64 = canvas.toDataURL('image/jpeg', q).split(',')[1]
    if ((b64.length * 3) / 4 <= limit) return b64
  }
  throw new Error('photo_too_big')
}
