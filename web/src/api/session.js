// The logged-in user, shared by every screen: who, which role, which areas. The user is kept
// in localStorage too, so that the installed app opened with no network still knows who is
// logged in and opens the field pages on their kept lists (session.offline true); the server
// is asked again as soon as the network is back (and every RETRY_MS meanwhile: a server that
// was busy or down is no 'online' event), which also brings a fresh CSRF token for the writes
// that waited in the outbox.
import { reactive } from 'vue'
import { request, setCsrf } from './client.js'
import { endpoints, url } from './endpoints.js'
import { connectionFailed, forgetKept } from '../lib/kept.js'
import { SESSION_EVENT } from '../lib/outbox.js'

export const session = reactive({ user: null, checked: false, offline: false })
const KEPT_USER = 'fk.kept-user'
const RETRY_MS = 15000
let retry = null

function keptUser() {
  try {
    return JSON.parse(localStorage.getItem(KEPT_USER))
  } catch {
    return null
  }
}

function accept(reply) {
  session.user = reply.user
  session.offline = false
  setCsrf(reply.csrf_token)
  localStorage.setItem(KEPT_USER, JSON.stringify(reply.user))
  // Writes that waited (or were refused for want of this token) go out now.
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(SESSION_EVENT))
  return reply.user
}

export async function login(username, password) {
  return accept(await request(endpoints.login[0], url('login'), { json: { username, password } }))
}

/* Asks for a one-time code for a phone number; resolves to {sent, resend_after, expires_in}. */
export async function askCode(phone) {
  return request(endpoints.codeSend[0], url('codeSend'), { json: { phone } })
}

export async function loginByCode(phone, code) {
  return accept(await request(endpoints.codeVerify[0], url('codeVerify'), { json: { phone, code } }))
}

/* Where a user lands after signing in: a resident on its phone home, the others on home. */
export function landing(user) {
  return user && user.role === 'resident' ? '/me' : '/'
}

/* Asks the server who is logged in; with no connection, the user kept from the last answer. */
export async function loadMe() {
  try {
    accept(await request('GET', url('me')))
  } catch (e) {
    const kept = connectionFailed(e) ? keptUser() : null
    session.user = kept
    session.offline = !!kept
    if (!kept) localStorage.removeItem(KEPT_USER)
    else askAgainLater()
  }
  session.checked = true
  return session.user
}

/* Back in touch after opening offline: the server's answer replaces the kept user. A session
 * that ended meanwhile leaves the page as it is; its queued writes then wait, and the outbox's
 * bar asks the user to log in again. */
async function recheck() {
  if (!session.offline) return
  try {
    accept(await request('GET', url('me')))
  } catch (e) {
    if (connectionFailed(e)) askAgainLater()
    else session.offline = false
  }
}

function askAgainLater() {
  if (retry) return
  retry = setTimeout(() => {
    retry = null
    recheck()
  }, RETRY_MS)
}

if (typeof window !== 'undefined') window.addEventListener('online', recheck)

export async function logout() {
  const user = session.user
  try {
    await request('POST', url('logout'))
  } finally {
    session.user = null
    session.offline = false
    setCsrf('')
    localStorage.removeItem(KEPT_USER)
    if (user) forgetKept(user.id)
  }
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role)
}
