// submit: how a form sends what it holds — busy while the call runs, and a refusal as the
// text to show with the field the server named, so that every dialog reads a refusal alike.
//   const { busy, error, field, fail, run } = useSubmit(t)
//   if (!form.name) return fail(t('x.nameRequired'), 'name')
//   if (await run(() => post(url('thing'), body))) emit('done')
import { ref } from 'vue'
import { errorText } from './format.js'

export function useSubmit(t) {
  const busy = ref(false)
  const error = ref('')
  const field = ref('')

  // Shows text (and the field it is about) and answers false, so a check can `return fail(...)`.
  function fail(text, name = '') {
    error.value = text
    field.value = name
    return false
  }

  // Runs send (an async call); true when it went through, false with error and field set.
  async function run(send) {
    fail('')
    busy.value = true
    try {
      await send()
      return true
    } catch (e) {
      return fail(errorText(t, e), e.field || '')
    } finally {
      busy.value = false
    }
  }

  return { busy, error, field, fail, run }
}
