// The zone screens' helpers: which zones bear on a round, the tree's expanded areas, time left.
import { describe, it, expect } from 'vitest'
import { zonesOfRound, expandedIds, msUntil, pathIds, levelType } from '../src/modules/zones/zones.js'

const zone = (id, path, status = 'active') => ({ id, status, area: { path } })

describe('zones', () => {
  it('finds the active zones inside a round\'s areas or over them', () => {
    const zones = [zone('a', '/1/2/3/'), zone('b', '/1/'), zone('c', '/1/9/'), zone('d', '/1/2/4/', 'lifted')]
    expect(zonesOfRound(zones, [{ path: '/1/2/' }]).map((z) => z.id)).toEqual(['a', 'b'])
    expect(zonesOfRound(zones, [])).toEqual([])
  })
  it('does not take a sibling whose path only starts alike', () => {
    expect(zonesOfRound([zone('x', '/1/22/')], [{ path: '/1/2/' }])).toEqual([])
  })
  it('expands the areas above each zone, once', () => {
    expect(expandedIds([zone('a', '/1/2/3/'), zone('b', '/1/2/')]).sort()).toEqual(['1', '2'])
    expect(pathIds('/1/12/305/')).toEqual(['1', '12', '305'])
  })
  it('counts the time to a deadline, negative once past', () => {
    const now = Date.parse('2022-04-01T00:00:00Z')
    expect(msUntil('2022-04-02T00:00:00Z', now)).toBe(24 * 3600e3)
    expect(msUntil('2022-03-31T23:00:00Z', now)).toBe(-3600e3)
    expect(msUntil(null, now)).toBe(null)
    expect(levelType(3)).toBe('danger')
  })
})
