// Helpers the testing screens share: list replies, rounds, area codes, durations, percentages,
// the pool sizes the policies allow.
import { get } from '../../api/client.js'
import { url } from '../../api/endpoints.js'
import { loadPolicies } from '../policy/policies.js'

/* The items of a list reply ({items:[...]}, or a bare array). */
export function items(reply) {
  return Array.isArray(reply) ? reply : (reply && reply.items) || []
}

/* Rounds the caller may see, newest first; status '' = any. */
export async function loadRounds(status = '') {
  return items(await get(url('rounds'), { status, limit: 100 }))
}

/* Area ids for "code, code, …" (comma, space or 、 separated), each resolved within the
 * caller's scope; throws naming the first code not found. */
export async function areasByCodes(text) {
  const codes = String(text || '').split(/[\s,，、;]+/).filter(Boolean)
  const out = []
  for (const code of codes) {
    const found = items(await get(url('areas'), { q: code })).find((a) => a.code === code)
    if (!found) {
      const e = new Error(code)
      e.code = 'area_code_unknown'
      e.areaCode = code
      throw e
    }
    out.push(found)
  }
  return out
}

/* The id of the one area a filter's code names, '' when the field is empty (the whole scope);
 * throws as areasByCodes for a code not found. */
export async function areaIdOf(code) {
  const [area] = await areasByCodes(code)
  return area ? area.id : ''
}

/* 42 s, 35 min, 3 h 05 min; '' for nothing. */
export function duration(ms) {
  if (ms === null || ms === undefined || ms === '' || Number.isNaN(Number(ms))) return ''
  if (Number(ms) < 1000) return `${Math.round(Number(ms))} ms`
  const s = Math.round(Number(ms) / 1000)
  if (s < 60) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/* Percent of part in all, rounded down to one decimal (0 when all is 0), capped at 100. */
export function percent(part, all) {
  const a = Number(all) || 0
  if (a <= 0) return 0
  return Math.min(100, Math.floor((1000 * (Number(part) || 0)) / a) / 10)
}

/* ISO time -> value for <input type="datetime-local"> in the browser's zone, and back. */
export function toLocalInput(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

export function fromLocalInput(v) {
  return v ? new Date(v).toISOString() : undefined
}

/* Dorfman pooling: expected tests per person with pools of k at prevalence p. */
export function dorfman(p, k) {
  if (k <= 1) return 1
  return 1 / k + 1 - (1 - p) ** k
}

/* Of the allowed pool sizes, the one with the fewest expected tests per person. */
export function advisePool(p, sizes) {
  let best = sizes[0]
  for (const k of sizes) if (dorfman(p, k) < dorfman(p, best) - 1e-12) best = k
  return best
}

/* The pool sizes the policies allow now and a new round's default:
 * {sizes: [1, 5, 10, 20], default: 10, version} (testing.pool_sizes, testing.pool_default). */
export async function loadPools() {
  const p = await loadPolicies(true)
  const value = (key) => (p.items.find((i) => i.key === key) || {}).value
  return { sizes: value('testing.pool_sizes') || [], default: value('testing.pool_default'), version: p.version }
}

/* How a registrar account reads in pickers and tags: display name (username). */
export function registrarLabel(u) {
  return u.display_name ? `${u.display_name} (${u.username})` : u.username
}

/* Registrar options for a picker: those already bound first, then those found, each username
 * once. */
export function mergeRegistrars(bound, found) {
  const seen = new Set()
  return [...(bound || []), ...(found || [])].filter((u) => u && !seen.has(u.username) && seen.add(u.username))
}
