// The web app's API client must only call endpoints that docs/openapi.yaml documents.
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { endpoints, url } from '../src/api/endpoints.js'

const yaml = readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8')

// Collects "path -> methods" from the paths: block (two-space path keys, four-space methods).
function documented() {
  const out = new Map()
  let path = null
  let inPaths = false
  for (const line of yaml.split('\n')) {
    if (/^paths:\s*$/.test(line)) { inPaths = true; continue }
    if (inPaths && /^\S/.test(line)) inPaths = false
    if (!inPaths) continue
    let m = line.match(/^  (\/[^:]*):\s*$/)
    if (m) { path = m[1]; out.set(path, new Set()); continue }
    m = line.match(/^    (get|post|put|patch|delete):/)
    if (m && path) out.get(path).add(m[1].toUpperCase())
  }
  return out
}

describe('API client', () => {
  const docs = documented()
  for (const [name, [method, path]] of Object.entries(endpoints)) {
    it(`${name}: ${method} ${path} is documented`, () => {
      expect(docs.has(path), `${path} missing from openapi.yaml`).toBe(true)
      expect([...docs.get(path)]).toContain(method)
    })
  }
  it('fills path parameters', () => {
    expect(url('person', { id: '42' })).toBe('/api/v1/people/42')
    expect(url('areaMove', { id: 'a/b' })).toBe('/api/v1/areas/a%2Fb/move')
  })
})
