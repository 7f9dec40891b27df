// Display helpers shared by screens: times in Asia/Shanghai, tag and kind names.
export function shanghai(iso) {
  if (!iso) return ''
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
}

export function errorText(t, e) {
  if (!e) return ''
  // an area code typed in a form that names no area (testing/common.js areasByCodes)
  if (e.code === 'area_code_unknown') return t('testing.unknownArea', { code: e.areaCode })
  const where = [e.line ? `${t('import.line')} ${e.line}` : '', e.field].filter(Boolean).join(' · ')
  return where ? `${e.message} (${where})` : e.message
}
