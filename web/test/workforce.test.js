// workforce.js: the sign-up form's check and body, and a call-out's public link.
import { describe, expect, it } from 'vitest'
import { publicLink, signupBody, signupProblem, KINDS, SKILLS, TEAM_KINDS } from '../src/modules/workforce/workforce.js'

describe('signupProblem', () => {
  it('names the first missing or wrong field', () => {
    expect(signupProblem({ name: ' ', phone: '13900000001' })).toEqual({ field: 'name', problem: 'required' })
    expect(signupProblem({ name: '甲', phone: '' })).toEqual({ field: 'phone', problem: 'required' })
    expect(signupProblem({ name: '甲', phone: '12345' })).toEqual({ field: 'phone', problem: 'bad' })
    expect(signupProblem({ name: '甲', phone: '+86 139-0000-0001' })).toBeNull()
  })
})

describe('signupBody', () => {
  it('trims, carries the key and leaves an empty note out', () => {
    expect(signupBody({ name: ' 甲 ', phone: ' 13900000001 ', skills: ['driver'], note: '  ' }, 'k-12345678'))
      .toEqual({ name: '甲', phone: '13900000001', skills: ['driver'], client_key: 'k-12345678' })
    expect(signupBody({ name: '甲', phone: '1', skills: [], note: '晚上' }, 'k').note).toBe('晚上')
  })
})

describe('lists and links', () => {
  it('keeps the server’s names', () => {
    expect(KINDS).toEqual(['staff', 'party_member', 'cadre', 'volunteer'])
    expect(SKILLS).toContain('sampler')
    expect(TEAM_KINDS).toEqual(['assault', 'volunteer', 'vanguard_post'])
  })
  it('builds the public link from the origin', () => {
    expect(publicLink({ public_url: '/v/abc' }, 'https://fk.example.cn')).toBe('https://fk.example.cn/v/abc')
    expect(publicLink(null, 'x')).toBe('')
  })
})
