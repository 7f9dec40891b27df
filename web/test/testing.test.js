// The registrar desk's pieces that need no server: what a scanned code is, the pooling advice,
// and the registrar picker (the outbox that keeps scans is tested in outbox.test.js).
import { describe, it, expect } from 'vitest'
import { classify, maskCode, clientKey, idCheckDigit } from '../src/modules/testing/codes.js'
import { advisePool, dorfman, duration, percent, registrarLabel, mergeRegistrars } from '../src/modules/testing/common.js'

function validId(first17) {
  return first17 + idCheckDigit(first17)
}

function memoryStorage() {
  const m = new Map()
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), map: m }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('codes', () => {
  it('tells resident codes, ID numbers and tube barcodes apart', () => {
    const id = validId('37021219800101001')
    expect(classify(' FK1:123:abcdef01 ')).toEqual({ kind: 'person_code', value: 'FK1:123:abcdef01' })
    expect(classify(id)).toEqual({ kind: 'id_number', value: id })
    expect(classify(id.slice(0, 17) + (id[17] === '1' ? '2' : '1')).kind).toBe('bad_id')
    expect(classify('T0001234').kind).toBe('other')
    expect(classify('').kind).toBe('empty')
  })
  it('reads a lower-case x check digit', () => {
    let first = null
    for (let i = 0; i < 1000 && !first; i++) {
      const f = '370212198001' + String(10000 + i).slice(1) + '1'
      if (idCheckDigit(f.slice(0, 17)) === 'X') first = f.slice(0, 17)
    }
    expect(classify(first + 'x')).toEqual({ kind: 'id_number', value: first + 'X' })
  })
  it('reads an ID number typed full-width or with spaces, as the server folds it', () => {
    const id = validId('37021219800101001')
    const wide = [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')
    expect(classify(wide)).toEqual({ kind: 'id_number', value: id })
    expect(classify(`\u3000${id.slice(0, 6)} ${id.slice(6, 14)}\u00a0${id.slice(14)} `)).toEqual({ kind: 'id_number', value: id })
    expect(classify('ＦＫ１：１２３：ａｂｃｄｅｆ０１')).toEqual({ kind: 'person_code', value: 'FK1:123:abcdef01' })
    expect(classify('３７０２号').kind).toBe('other')
  })
  it('never shows a whole ID number in the queue', () => {
    expect(maskCode('id_number', '370212198001010011')).toBe('370212********0011')
    expect(maskCode('person_code', 'FK1:42:deadbeef')).toBe('FK1:42')
  })
  it('makes distinct UUID-shaped client keys', () => {
    const a = clientKey()
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(clientKey()).not.toBe(a)
  })
})

describe('pooling advice', () => {
  it('follows Dorfman: big pools at low positivity, single tubes at high', () => {
    const sizes = [1, 5, 10, 20]
    expect(advisePool(0.0001, sizes)).toBe(20)
    expect(advisePool(0.01, sizes)).toBe(10)
    expect(advisePool(0.05, sizes)).toBe(5)
    expect(advisePool(0.4, sizes)).toBe(1)
    expect(dorfman(0.01, 10)).toBeCloseTo(0.1 + 1 - 0.99 ** 10, 10)
  })
  it('advises only among the sizes the policies allow', () => {
    expect(advisePool(0.0001, [1, 5, 10])).toBe(10)
    expect(advisePool(0.05, [1, 10, 20])).toBe(10)
  })
  it('formats durations and percentages', () => {
    expect(duration(42000)).toBe('42 s')
    expect(duration(35 * 60000)).toBe('35 min')
    expect(duration(185 * 60000)).toBe('3 h 05 min')
    expect(duration(null)).toBe('')
    expect(duration(60)).toBe('60 ms')
    expect(percent(5, 10)).toBe(50)
    expect(percent(50, 20000)).toBe(0.2)
    expect(percent(1, 0)).toBe(0)
  })
})

describe('registrar picker', () => {
  it('labels an account by display name and username', () => {
    expect(registrarLabel({ username: 'registrar1', display_name: '采样点登记员' })).toBe('采样点登记员 (registrar1)')
    expect(registrarLabel({ username: 'reg2', display_name: '' })).toBe('reg2')
  })
  it('offers the bound registrars first and each username once', () => {
    const bound = [{ id: '1', username: 'b', display_name: 'B' }]
    const found = [{ id: '2', username: 'a', display_name: 'A' }, { id: '1', username: 'b', display_name: 'B' }]
    expect(mergeRegistrars(bound, found).map((u) => u.username)).toEqual(['b', 'a'])
    expect(mergeRegistrars(null, undefined)).toEqual([])
  })
})
