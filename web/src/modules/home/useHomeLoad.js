// What the home page's panels share: load a list once, keep its error, read an {items} reply.
import { onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { errorText } from '../../lib/format.js'

export function itemsOf(reply) {
  return Array.isArray(reply) ? reply : (reply && reply.items) || []
}

/* Runs fn once mounted; its value in data, a failure's text in error. */
export function useHomeLoad(fn) {
  const { t } = useI18n()
  const data = ref(null)
  const error = ref('')
  async function load() {
    try {
      data.value = await fn()
      error.value = ''
    } catch (e) {
      error.value = errorText(t, e)
    }
  }
  onMounted(load)
  return { data, error, load }
}

/* The newest open (sampling) round the caller can see, or null. */
export async function openRound(get, url) {
  const rounds = itemsOf(await get(url('rounds'), { status: 'sampling' }))
  return rounds[0] || null
}
