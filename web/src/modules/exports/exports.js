// exports: the address of an export download and who may make which (the server checks again),
// and the daily report's figures in their columns.
import { url } from '../../api/endpoints.js'

export const EXPORT_ROLES = {
  residents: ['admin', 'commander', 'community', 'grid', 'building'],
  requests: ['admin', 'commander', 'community', 'grid', 'building'],
  results: ['admin', 'commander', 'community', 'grid'],
  missing: ['admin', 'commander', 'community', 'grid'],
  placements: ['admin', 'commander', 'community', 'grid'],
}

/* May role export kind? */
export function mayExport(role, kind) {
  return (EXPORT_ROLES[kind] || []).includes(role)
}

/* The download address: /api/v1/exports/KIND?format=...&area_id=...; empty values left out; an
 * unmask carries its reason. */
export function exportUrl(kind, { format = 'csv', areaId = '', roundId = '', reason = '' } = {}) {
  const q = new URLSearchParams({ format })
  if (areaId) q.set('area_id', areaId)
  if (roundId) q.set('round_id', roundId)
  if (reason) {
    q.set('unmask', '1')
    q.set('reason', reason)
  }
  return `${url('export', { kind })}?${q}`
}

/* The daily report's figures, in the order of its columns. */
export const FIGURES = ['tested', 'positives', 'cases', 'placed', 'hotline_tickets', 'calls_answered', 'follow_ups',
  'requests_handled', 'requests_overdue', 'staff_deployed', 'supplies_delivered']

/* The report's table: the area's row (total) first, then its children. */
export function reportRows(report) {
  if (!report) return []
  const row = (area, figures, total) => ({ id: area.id, code: area.code, name: area.name, total, ...figures })
  return [row(report.area, report.figures, true), ...(report.children || []).map((c) => row(c.area, c.figures, false))]
}

/* The XLSX download of the same report. */
export function reportXlsxUrl(areaId, date) {
  const q = new URLSearchParams({ date })
  if (areaId) q.set('area_id', areaId)
  return `${url('dailyReportXlsx')}?${q}`
}

/* Today in China Standard Time, "YYYY-MM-DD". */
export function todayCst(now = Date.now()) {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
}
