// Display helpers: Shanghai time and error text with line and field.
import { describe, it, expect } from 'vitest'
import { shanghai, errorText } from '../src/lib/format.js'
import { useSubmit } from '../src/lib/submit.js'

describe('format', () => {
  it('shows UTC times in Asia/Shanghai', () => {
    expect(shanghai('2026-11-26T02:00:00Z')).toContain('10:00:00')
    expect(shanghai(null)).toBe('')
  })
  it('names the line and field of an error', () => {
    const t = (k) => ({ 'import.line': 'line' })[k]
    expect(errorText(t, { message: 'bad', line: 3, field: 'id_number' })).toBe('bad (line 3 · id_number)')
    expect(errorText(t, { message: 'bad' })).toBe('bad')
  })
})

describe('useSubmit', () => {
  const t = (k, p) => (p ? `${k}:${p.code}` : k)

  it('is busy while the call runs and true once it went through', async () => {
    const s = useSubmit(t)
    let during = null
    expect(await s.run(async () => { during = s.busy.value })).toBe(true)
    expect(during).toBe(true)
    expect(s.busy.value).toBe(false)
    expect(s.error.value).toBe('')
  })

  it('shows a refusal with the field the server named, and clears it on the next run', async () => {
    const s = useSubmit(t)
    const refusal = Object.assign(new Error('bad'), { field: 'detail', message: 'too long' })
    expect(await s.run(async () => { throw refusal })).toBe(false)
    expect(s.error.value).toBe('too long (detail)')
    expect(s.field.value).toBe('detail')
    expect(await s.run(async () => {})).toBe(true)
    expect(s.error.value).toBe('')
    expect(s.field.value).toBe('')
  })

  it('names an unknown area code as the screens ask for it', async () => {
    const s = useSubmit(t)
    expect(await s.run(async () => { throw Object.assign(new Error('x'), { code: 'area_code_unknown', areaCode: 'X9' }) })).toBe(false)
    expect(s.error.value).toBe('testing.unknownArea:X9')
  })
})
