// Duty: the roster's week in China Standard Time, as the server counts it (Monday 00:00).
import { describe, it, expect } from 'vitest'
import { chinaDay, clock, mondayOf, moveWeek, weekDays } from '../src/modules/duty/week.js'

describe('roster week', () => {
  it('reads the China day of a moment', () => {
    expect(chinaDay(Date.parse('2026-12-06T15:59:59Z'))).toBe('2026-12-06')
    expect(chinaDay(Date.parse('2026-12-06T16:00:00Z'))).toBe('2026-12-07')
  })
  it('finds the Monday of any day of the week', () => {
    expect(mondayOf('2026-12-07')).toBe('2026-12-07')
    expect(mondayOf('2026-12-13')).toBe('2026-12-07')
    expect(mondayOf('2026-01-01')).toBe('2025-12-29')
  })
  it('lists the seven days and moves by weeks', () => {
    expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'])
    expect(moveWeek('2026-12-07', 1)).toBe('2026-12-14')
    expect(moveWeek('2026-12-07', -1)).toBe('2026-11-30')
  })
  it('shows hours and minutes in China', () => {
    expect(clock('2026-12-09T00:00:00.000Z')).toBe('08:00')
    expect(clock('2026-12-09T16:30:00.000Z')).toBe('00:30')
  })
})
