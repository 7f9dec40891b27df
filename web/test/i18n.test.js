// zh-CN and English carry the same keys, and every message compiles.
import { describe, it, expect } from 'vitest'
import { createI18n } from 'vue-i18n'
import zh from '../src/i18n/zh-CN.js'
import en from '../src/i18n/en.js'

function keys(o, prefix = '') {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, prefix + k + '.') : [prefix + k])).sort()
}

describe('i18n', () => {
  it('has the same keys in both languages', () => {
    expect(keys(en)).toEqual(keys(zh))
  })
  it('formats every message in both languages', () => {
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zh, en } })
    for (const lang of ['zh-CN', 'en']) {
      i18n.global.locale.value = lang
      const all = keys(zh)
      expect(all.length).toBeGreaterThan(100)
      for (const k of all) {
        const text = i18n.global.t(k, { n: 1, k: 10, code: 'X', name: 'N', at: 'T', msg: 'M', kind: 'K', tests: '1', d: 'D', h: 6, v: 1, o: 2 })
        expect(text.length, k).toBeGreaterThan(0)
        expect(text, `${lang} has no message for ${k}`).not.toBe(k)
      }
    }
  })
})
