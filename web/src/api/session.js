// The logged-in user, shared by every screen: who, which role, which areas.
import { reactive } from 'vue'
import { request, setCsrf } from './client.js'
import { endpoints, url } from './endpoints.js'

export const session = reactive({ user: null, checked: false })

function accept(reply) {
  session.user = reply.user
  setCsrf(reply.csrf_token)
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

export async function loadMe() {
  try {
    accept(await request('GET', url('me')))
  } catch {
    session.user = null
  }
  session.checked = true
  return session.user
}

export async function logout() {
  try {
    await request('POST', url('logout'))
  } finally {
    session.user = null
    setCsrf('')
  }
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role)
}
