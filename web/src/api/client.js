// API client: one fetch wrapper for every call. Keeps the CSRF token from login/me, sends it on
// every write, and turns error replies into ApiError with the server's code, field and line.
let csrfToken = ''

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || 'http_' + status
    this.field = e.field || ''
    this.line = e.line || 0
    this.body = body
  }
}

export function setCsrf(token) {
  csrfToken = token || ''
}

function lang() {
  return (localStorage.getItem('fk.lang') || 'zh-CN').startsWith('zh') ? 'zh-CN' : 'en'
}

export async function request(method, path, { query, json, body, contentType, signal } = {}) {
  let url = path
  if (query) {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v)
    const s = q.toString()
    if (s) url += '?' + s
  }
  const headers = { 'Accept-Language': lang() }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(json)
  } else if (contentType) {
    headers['Content-Type'] = contentType
  }
  const res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal })
  const text = await res.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = { error: { code: 'bad_reply', message: text.slice(0, 200) } }
  }
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

export const get = (path, query) => request('GET', path, { query })
export const post = (path, json, query) => request('POST', path, { json, query })
export const patch = (path, json) => request('PATCH', path, { json })
export const put = (path, json) => request('PUT', path, { json })
export const del = (path) => request('DELETE', path)
