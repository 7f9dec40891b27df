// The actions on a request as a screen runs them: one with a text (a note, a reason) asks for
// it first in a prompt, then each is one POST to its endpoint; the server's refusal is kept
// for the screen to show, and onDone(request, action) gets the reply.
import { reactive } from 'vue'
import { post } from '../../api/client.js'
import { url } from '../../api/endpoints.js'
import { errorText } from '../../lib/format.js'
import { ACTIONS, actionBody } from './requests.js'

/* fallback(action) gives the text sent when the prompt is left empty (the resident's reopening
 * says "not solved" for them); null keeps the action's own rule. */
export function useRequestActions(t, onDone, { fallback = () => null } = {}) {
  const state = reactive({ open: false, action: '', request: null, text: '', error: '', busy: false, failed: '' })

  async function run(r, action, text) {
    const { body, error } = actionBody(action, text)
    if (error) {
      state.error = t(error)
      return false
    }
    state.busy = true
    state.failed = ''
    try {
      const reply = await post(url(ACTIONS[action].endpoint, { id: r.id }), body)
      state.open = false
      await onDone(reply && reply.id ? reply : r, action)
      return true
    } catch (e) {
      state.error = errorText(t, e)
      state.failed = state.error
      return false
    } finally {
      state.busy = false
    }
  }

  /* Starts action on r: at once when it carries no text, else through the prompt. */
  function start(r, action) {
    Object.assign(state, { action, request: r, text: '', error: '', failed: '' })
    if (!ACTIONS[action] || !ACTIONS[action].field) return run(r, action, '')
    state.open = true
    return Promise.resolve(false)
  }

  /* The prompt's send: the text typed, or the fallback for an empty one. */
  function submit() {
    const text = state.text.trim() || fallback(state.action) || ''
    return run(state.request, state.action, text)
  }

  return { state, start, submit }
}
