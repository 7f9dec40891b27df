// Policies as the server states them (GET /api/v1/policies): the one source of the numbers
// SPEC marks *policy* — pool sizes, targets, planning rules — so no screen copies them.
import { get } from '../../api/client.js'
import { url } from '../../api/endpoints.js'

let pending = null

/* {version, items:[{key, module, type, value, default, min, max, choices, unit, label_*, help_*}]};
 * one request shared by the screens until fresh is asked for (or an edit forgets it). */
export function loadPolicies(fresh = false) {
  if (!pending || fresh) {
    pending = get(url('policies')).catch((e) => {
      pending = null
      throw e
    })
  }
  return pending
}

export function forgetPolicies() {
  pending = null
}

/* The current value of key (undefined when the server has no such policy). */
export async function policyValue(key, fresh = false) {
  const p = await loadPolicies(fresh)
  const item = p.items.find((i) => i.key === key)
  return item ? item.value : undefined
}

/* The label or help of a policy in the screen's language. */
export function policyText(item, locale, what = 'label') {
  return String(locale || '').startsWith('zh') ? item[what + '_zh'] : item[what + '_en']
}
