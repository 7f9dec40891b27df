// vue-i18n set-up: zh-CN by default, English complete; the choice is kept in localStorage.
import { createI18n } from 'vue-i18n'
import zh from './zh-CN.js'
import en from './en.js'

export const i18n = createI18n({
  legacy: false,
  locale: localStorage.getItem('fk.lang') || 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export function setLanguage(lang) {
  i18n.global.locale.value = lang
  localStorage.setItem('fk.lang', lang)
  document.documentElement.lang = lang
}
