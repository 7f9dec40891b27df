// What the workforce screens share: the fixed lists in their order, the public link of a
// call-out, and the check a sign-up form makes before it is sent (the server checks again and
// names the field).
import { phoneOk } from '../screening/screening.js'

export const KINDS = ['staff', 'party_member', 'cadre', 'volunteer']
export const SKILLS = ['driver', 'medical', 'interpreter', 'sampler', 'logistics', 'other']
export const TEAM_KINDS = ['assault', 'volunteer', 'vanguard_post']
export const WRITERS = ['admin', 'commander', 'community']

/* The full sign-up link of a call-out as a phone opens it. */
export function publicLink(c, origin = location.origin) {
  return c ? origin + c.public_url : ''
}

/* The first field of a sign-up form that is missing or wrong, as {field, problem}, or null. */
export function signupProblem(f) {
  if (!String(f.name || '').trim()) return { field: 'name', problem: 'required' }
  if (!String(f.phone || '').trim()) return { field: 'phone', problem: 'required' }
  if (!phoneOk(f.phone)) return { field: 'phone', problem: 'bad' }
  return null
}

/* The body of a public sign-up, with its client key. */
export function signupBody(f, key) {
  const body = { name: f.name.trim(), phone: f.phone.trim(), skills: [...(f.skills || [])], client_key: key }
  if (String(f.note || '').trim()) body.note = f.note.trim()
  return body
}
