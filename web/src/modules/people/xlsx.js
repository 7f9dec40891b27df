// XLSX residents files are read in the browser (read-excel-file) and sent as JSON rows keyed by
// the header row, the same header names the server accepts for CSV.
import { readSheet } from 'read-excel-file/browser'

export async function xlsxRows(file) {
  const grid = await readSheet(file)
  if (!grid.length) return []
  const header = grid[0].map((h) => String(h ?? '').trim())
  return grid.slice(1).map((cells) => {
    const row = {}
    header.forEach((h, i) => {
      if (!h) return
      const v = cells[i]
      row[h] = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v)
    })
    return row
  })
}

// The error table as a CSV the user can open in Excel (UTF-8 with BOM so Excel reads Chinese).
export function errorsCsv(errors, labels) {
  const q = (s) => '"' + String(s ?? '').replace(/"/g, '""') + '"'
  const lines = [labels.map(q).join(',')]
  for (const e of errors) lines.push([e.line, e.column, e.field, e.code, e.message].map(q).join(','))
  return new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' })
}
