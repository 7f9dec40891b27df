// What the zone screens share: the kinds of the scheme in force (from the server), how a
// zone's level and time read, the area ids above a zone, and which zones bear on a round.
import { get } from '../../api/client.js'
import { url } from '../../api/endpoints.js'

/* {scheme, policy_version, kinds: [{kind, kind_zh, level}]}, strictest first. */
export function loadKinds() {
  return get(url('zoneKinds'))
}

/* Element Plus tag type of a zone's level: 3 red, 2 orange, 1 blue. */
export function levelType(level) {
  return { 3: 'danger', 2: 'warning', 1: 'primary' }[level] || 'info'
}

/* The area ids of a materialized path, root first: "/1/12/305/" -> ["1", "12", "305"]. */
export function pathIds(path) {
  return String(path || '').split('/').filter(Boolean)
}

/* Whether path lies under (or is) prefix. */
export function under(path, prefix) {
  return !!path && !!prefix && String(path).startsWith(prefix)
}

/* The active zones that bear on a round over areas: a zone inside one of the round's areas,
 * or one over a larger area that holds it. */
export function zonesOfRound(zones, areas) {
  const paths = (areas || []).map((a) => a.path).filter(Boolean)
  return (zones || []).filter((z) => z.status === 'active' && z.area &&
    paths.some((p) => under(z.area.path, p) || under(p, z.area.path)))
}

/* Milliseconds from now to the ISO time due (negative once past); null without one. */
export function msUntil(due, now = Date.now()) {
  if (!due) return null
  return Date.parse(due) - now
}

/* The tree's expanded keys: every area above each zone (not the zone's own area). */
export function expandedIds(zones) {
  const out = new Set()
  for (const z of zones || []) for (const id of pathIds(z.area && z.area.path).slice(0, -1)) out.add(id)
  return [...out]
}
