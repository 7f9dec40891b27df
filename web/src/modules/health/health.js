// What the health report screens share: the symptom keys, the temperature pad and the range
// the server accepts, and the half-day a report is for.

export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_taste_smell', 'diarrhoea', 'short_breath', 'other']
export const PAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', '⌫']
export const MIN_TEMP = 34.0
export const MAX_TEMP = 43.0
export const FEVER = 37.3

/* The text of the pad after key k: digits up to "43.0", one point, ⌫ deletes. */
export function padKey(text, k) {
  if (k === '⌫') return text.slice(0, -1)
  if (k === '.') return text.includes('.') || !text ? text : text + '.'
  const [whole, frac] = text.split('.')
  if (frac !== undefined) return frac.length >= 1 ? text : text + k
  return whole.length >= 2 ? text : text + k
}

/* The temperature keyed, or null when it is not a number within 34.0–43.0 ℃. */
export function temperatureOf(text) {
  if (!/^\d{2}(\.\d)?$/.test(text || '')) return null
  const v = Number(text)
  return v >= MIN_TEMP && v <= MAX_TEMP ? v : null
}

/* A fever at or above 37.3 ℃ (shown before sending; the server decides). */
export function isFever(v) {
  return typeof v === 'number' && v >= FEVER
}

/* The body of POST /health/reports for a report keyed on the phone (client_key added when sent). */
export function reportBody({ personId, day, half, temperature, symptoms }) {
  const body = { temperature, symptoms: SYMPTOMS.filter((s) => (symptoms || []).includes(s)) }
  if (personId) body.person_id = String(personId)
  if (day) body.day = day
  if (half) body.half = half
  return body
}
