// The dashboard's data: the API calls, the shapes registered as ECharts maps, and the event
// kinds after which its figures are read again.
import { get } from '../../api/client.js'
import { url } from '../../api/endpoints.js'

/* Events that move a figure the dashboard shows; "resync" after a gap in the stream. */
export const DASHBOARD_EVENTS = ['coverage', 'scan', 'round_opened', 'round_closed', 'round_updated', 'alert',
  'request', 'zone', 'placement', 'stock', 'duty', 'delivery', 'resync']

export function loadDashboard(areaId) {
  return get(url('dashboard'), { area_id: areaId || '' })
}

export function loadCurve(roundId, areaId) {
  return get(url('dashboardCurve'), { round_id: roundId || '', area_id: areaId || '' })
}

export function loadShapes(areaId) {
  return get(url('dashboardShapes'), { area_id: areaId || '' })
}

/* The panels in the order the wall shows them, each with the figures it shows. */
export const PANELS = [
  ['people', ['residents']],
  ['round', ['registered', 'sampled', 'pct', 'positives']],
  ['cases', ['active', 'total']],
  ['zones', ['sealed', 'controlled', 'precaution']],
  ['placements', ['under', 'overdue']],
  ['requests', ['open', 'overdue']],
  ['duty', ['on_duty', 'short_places']],
  ['stock', ['alerts']],
  ['deliveries', ['runs', 'done', 'households']],
  ['alerts', ['open']],
]

/* Figures that are bad news when above zero, drawn in red. */
export const WARN = new Set(['positives', 'active', 'sealed', 'overdue', 'short_places', 'alerts', 'open'])
