// supplies: the move form's checks and body, and how the board writes a quantity.
import { describe, expect, it } from 'vitest'
import { moveBody, moveProblem, qtyText } from '../src/modules/supplies/supplies.js'

const base = { kind: 'issue', placeId: '1', toPlaceId: '', itemId: '2', qty: '5', lot: '', expiry: '', source: 'purchase', reason: '', note: '' }

describe('moveProblem', () => {
  it('names the field at fault', () => {
    expect(moveProblem({ ...base, placeId: '' }).field).toBe('place_id')
    expect(moveProblem({ ...base, itemId: '' }).field).toBe('item_id')
    expect(moveProblem({ ...base, qty: '-1' }).field).toBe('qty')
    expect(moveProblem({ ...base, qty: '0' }).field).toBe('qty')
    expect(moveProblem({ ...base, qty: 'abc' }).field).toBe('qty')
    expect(moveProblem({ ...base, kind: 'transfer' }).field).toBe('to_place_id')
    expect(moveProblem({ ...base, kind: 'transfer', toPlaceId: '1' }).field).toBe('to_place_id')
    expect(moveProblem({ ...base, kind: 'adjust' }).field).toBe('reason')
  })
  it('lets a count of zero and a good move through', () => {
    expect(moveProblem({ ...base, kind: 'adjust', reason: 'counted', qty: '0' })).toBeNull()
    expect(moveProblem(base)).toBeNull()
  })
})

describe('moveBody', () => {
  it('sends what each kind needs and nothing else', () => {
    expect(moveBody(base)).toEqual({ kind: 'issue', place_id: '1', item_id: '2', qty: 5 })
    expect(moveBody({ ...base, kind: 'receive', lot: 'A', expiry: '2027-01-01' }))
      .toEqual({ kind: 'receive', place_id: '1', item_id: '2', qty: 5, source: 'purchase', lot: 'A', expiry: '2027-01-01' })
    expect(moveBody({ ...base, kind: 'transfer', toPlaceId: '3' })).toEqual({ kind: 'transfer', place_id: '1', item_id: '2', qty: 5, to_place_id: '3' })
    expect(moveBody({ ...base, kind: 'adjust', reason: 'damaged', lot: 'B', expiry: '2027-01-01' }))
      .toEqual({ kind: 'adjust', place_id: '1', item_id: '2', qty: 5, reason: 'damaged', lot: 'B' })
  })
})

describe('qtyText', () => {
  it('writes whole numbers plain and others to two decimals', () => {
    expect(qtyText(12)).toBe('12')
    expect(qtyText(2.5)).toBe('2.50')
  })
})
