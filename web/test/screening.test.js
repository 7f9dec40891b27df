// The screening and call screens' own rules: the checks a registration form makes before it is
// sent, the bodies they send, and the public link.
import { describe, it, expect } from 'vitest'
import { idNumberProblem, phoneOk, formProblem, registrationBody, publicLink, callBody } from '../src/modules/screening/screening.js'
import { idCheckDigit } from '../src/modules/testing/codes.js'

const first17 = '37021219900101001'
const good = first17 + idCheckDigit(first17)
const wrong = first17 + (idCheckDigit(first17) === '0' ? '1' : '0')

function form(fields = {}) {
  return { name: '张三', id_number: good, phone: '13900000001', from_place: '上海市', arrived_day: '2026-12-01', travel_code: 'green', area_id: '5', ...fields }
}

describe('registration form checks', () => {
  it('reads ID numbers as the server does', () => {
    expect(idNumberProblem(good)).toBe('')
    expect(idNumberProblem(' ' + good.slice(0, 6) + ' ' + good.slice(6))).toBe('')
    expect(idNumberProblem(good.replace(/./g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)))).toBe('')
    expect(idNumberProblem(wrong)).toBe('check')
    expect(idNumberProblem('12345')).toBe('length')
  })
  it('reads mobile and landline numbers', () => {
    expect(phoneOk('13900000001')).toBe(true)
    expect(phoneOk('+86 139-0000-0001')).toBe(true)
    expect(phoneOk('0532-88886666')).toBe(true)
    expect(phoneOk('12345')).toBe(false)
    expect(phoneOk('12900000001')).toBe(false)
  })
  it('names the first missing or wrong field', () => {
    expect(formProblem(form())).toBe(null)
    expect(formProblem(form({ name: ' ' }))).toEqual({ field: 'name', problem: 'required' })
    expect(formProblem(form({ area_id: '' }))).toEqual({ field: 'area_id', problem: 'required' })
    expect(formProblem(form({ id_number: wrong }))).toEqual({ field: 'id_number', problem: 'bad' })
    expect(formProblem(form({ phone: '123' }))).toEqual({ field: 'phone', problem: 'bad' })
  })
})

describe('bodies and links', () => {
  it('sends the trimmed fields given, with the key', () => {
    expect(registrationBody(form({ name: ' 张三 ', address_detail: '' }), 'k1')).toEqual({ ...form(), client_key: 'k1' })
  })
  it('puts the request only on a needs_help call', () => {
    expect(callBody('7', 'reached', 'k')).toEqual({ person_id: '7', outcome: 'reached', client_key: 'k' })
    expect(callBody('7', 'needs_help', 'k', { kind: 'medicine', urgency: 'urgent', detail: ' 药 ', note: '' }))
      .toEqual({ person_id: '7', outcome: 'needs_help', client_key: 'k', request: { kind: 'medicine', urgency: 'urgent', detail: '药' } })
  })
  it('makes the public link from the origin', () => {
    expect(publicLink({ public_url: '/s/abc' }, 'https://fk.example.cn')).toBe('https://fk.example.cn/s/abc')
    expect(publicLink(null, 'x')).toBe('')
  })
})
