// Display helpers: Shanghai time and error text with line and field.
import { describe, it, expect } from 'vitest'
import { shanghai, errorText } from '../src/lib/format.js'

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
