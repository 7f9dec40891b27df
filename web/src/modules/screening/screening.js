// What the screening and call screens share: the checks a form makes before it is sent (the
// server checks again and names the field), the body of a registration, the link of a
// campaign, and the names of reasons, outcomes and request kinds in their fixed order.
import { idCheckDigit, foldWidth } from '../testing/codes.js'

export const TRAVEL_CODES = ['green', 'yellow', 'red']
export const REASONS = ['returnee', 'key_person', 'elderly_alone', 'placement']
export const OUTCOMES = ['reached', 'no_answer', 'wrong_number', 'needs_help']
export const REQUEST_KINDS = ['medicine', 'medical', 'supplies', 'elderly_help', 'complaint', 'other']
export const URGENCIES = ['normal', 'urgent']

/* '' when s reads as a resident ID number (18 characters, the check digit right), else what is
 * wrong: 'length' or 'check'. Full-width forms and spaces are folded first, as the server does. */
export function idNumberProblem(s) {
  const v = foldWidth(String(s || '')).replace(/\s+/g, '').toUpperCase()
  if (!/^\d{17}[\dX]$/.test(v)) return 'length'
  return idCheckDigit(v.slice(0, 17)) === v[17] ? '' : 'check'
}

/* Whether s reads as a mobile number (+86, spaces and dashes allowed) or a landline. */
export function phoneOk(s) {
  const v = foldWidth(String(s || '')).replace(/[\s-]/g, '').replace(/^\+?86(?=1)/, '')
  return /^1[3-9]\d{9}$/.test(v) || /^0\d{9,11}$/.test(v)
}

/* The first field of a registration form that is missing or wrong, as {field, problem}, or
 * null when it may be sent. */
export function formProblem(f) {
  for (const field of ['name', 'id_number', 'phone', 'from_place', 'arrived_day', 'travel_code', 'area_id'])
    if (!String(f[field] || '').trim()) return { field, problem: 'required' }
  if (idNumberProblem(f.id_number)) return { field: 'id_number', problem: 'bad' }
  if (!phoneOk(f.phone)) return { field: 'phone', problem: 'bad' }
  return null
}

/* The body of POST .../registrations (worker) or the public form, with its client key. */
export function registrationBody(f, key) {
  const body = { client_key: key }
  for (const k of ['name', 'id_number', 'phone', 'from_place', 'arrived_day', 'travel_code', 'area_id', 'address_detail']) {
    const v = String(f[k] ?? '').trim()
    if (v) body[k] = v
  }
  return body
}

/* The full public link of a campaign: the page's origin and its public_url. */
export function publicLink(campaign, origin = globalThis.location ? location.origin : '') {
  return campaign ? origin + campaign.public_url : ''
}

/* The body of POST /api/v1/calls: needs_help carries the request to raise. */
export function callBody(personId, outcome, key, { note = '', kind = '', urgency = 'normal', detail = '' } = {}) {
  const body = { person_id: personId, outcome, client_key: key }
  if (note.trim()) body.note = note.trim()
  if (outcome === 'needs_help') body.request = { kind, urgency, detail: detail.trim() }
  return body
}
