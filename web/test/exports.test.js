// The export menu's and the daily report page's logic: who may export what, the download
// address (an unmask carries its reason), the report's rows and today's date in China.
import { describe, it, expect } from 'vitest'
import { exportUrl, mayExport, reportRows, reportXlsxUrl, todayCst, FIGURES } from '../src/modules/exports/exports.js'

describe('exports', () => {
  it('lets each role export what the server lets it', () => {
    expect(mayExport('building', 'residents')).toBe(true)
    expect(mayExport('building', 'results')).toBe(false)
    expect(mayExport('grid', 'placements')).toBe(true)
    expect(mayExport('lab', 'residents')).toBe(false)
    expect(mayExport('admin', 'nothing')).toBe(false)
  })
  it('builds the download address, leaving empty values out', () => {
    expect(exportUrl('residents')).toBe('/api/v1/exports/residents?format=csv')
    expect(exportUrl('results', { format: 'xlsx', areaId: '12', roundId: '7' }))
      .toBe('/api/v1/exports/results?format=xlsx&area_id=12&round_id=7')
  })
  it('asks for the unmasked file only with a reason', () => {
    const u = new URL(exportUrl('residents', { reason: '疾控核查' }), 'http://x')
    expect(u.searchParams.get('unmask')).toBe('1')
    expect(u.searchParams.get('reason')).toBe('疾控核查')
  })
})

describe('the daily report', () => {
  const f = (n) => Object.fromEntries(FIGURES.map((k) => [k, n]))
  it('puts the area first, marked as the total, then its children', () => {
    const rows = reportRows({ area: { id: '1', code: 'A', name: '区' }, figures: f(3),
      children: [{ area: { id: '2', code: 'A1', name: '街道' }, figures: f(1) }] })
    expect(rows.map((r) => [r.code, r.total, r.tested])).toEqual([['A', true, 3], ['A1', false, 1]])
    expect(reportRows(null)).toEqual([])
  })
  it('downloads the XLSX of the same area and day', () => {
    expect(reportXlsxUrl('5', '2026-12-01')).toBe('/api/v1/reports/daily.xlsx?date=2026-12-01&area_id=5')
  })
  it('takes today in China Standard Time', () => {
    expect(todayCst(Date.parse('2026-12-01T16:30:00Z'))).toBe('2026-12-02')
    expect(todayCst(Date.parse('2026-12-01T15:59:00Z'))).toBe('2026-12-01')
  })
})
