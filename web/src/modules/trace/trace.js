// What the tracing screens share: the placement a contact's kind asks for, which contacts may
// still be placed, and the ECharts option of a transmission graph (one node per person,
// coloured by role, labelled with its generation).

/* The placement reason for a contact of this kind (close 密接, secondary 次密接). */
export function reasonOf(kind) {
  return kind === 'secondary' ? 'secondary_contact' : 'close_contact'
}

/* Whether a reason's first stage is centralised isolation in a facility (the 9th-edition
 * defaults: close contacts go to a facility, secondary contacts stay home). */
export function needsFacility(kind) {
  return reasonOf(kind) === 'close_contact'
}

/* A contact may be placed while it is listed and not yet under a placement. */
export function placeable(c) {
  return !!c && c.status === 'listed' && !c.placement_id
}

/* The body of POST /placements for a contact; facility and room only for centralised
 * isolation. */
export function placementBody(contact, facilityId, roomId) {
  const body = { contact_id: String(contact.id), reason: reasonOf(contact.kind) }
  if (needsFacility(contact.kind) && facilityId) {
    body.facility_id = String(facilityId)
    if (roomId) body.room_id = String(roomId)
  }
  return body
}

export const ROLE_COLOURS = { case: '#c62828', close: '#ef6c00', secondary: '#f9a825' }
const LINK_COLOURS = { infected: '#c62828', close: '#ef6c00', secondary: '#bdbdbd' }

/* Nodes once per person (a person in two chains appears once: the strongest role wins, case
 * over close over secondary) and the links between persons both present. */
export function graphData(graph) {
  const rank = { case: 3, close: 2, secondary: 1 }
  const byId = new Map()
  for (const n of (graph && graph.nodes) || []) {
    const id = String(n.id)
    const had = byId.get(id)
    if (!had || (rank[n.role] || 0) > (rank[had.role] || 0)) byId.set(id, { ...n, id })
  }
  const seen = new Set()
  const links = []
  for (const l of (graph && graph.links) || []) {
    const s = String(l.source)
    const tg = String(l.target)
    const key = `${s}>${tg}>${l.kind}`
    if (s === tg || !byId.has(s) || !byId.has(tg) || seen.has(key)) continue
    seen.add(key)
    links.push({ source: s, target: tg, kind: l.kind })
  }
  return { nodes: [...byId.values()], links }
}

/* The ECharts option of a graph series; label(node) gives each node's text, roleName(role)
 * the legend's names. */
export function graphOption(graph, { roleName = (r) => r, label = defaultLabel } = {}) {
  const { nodes, links } = graphData(graph)
  const roles = ['case', 'close', 'secondary']
  return {
    animation: false,
    tooltip: {},
    legend: [{ data: roles.map(roleName) }],
    series: [{
      type: 'graph',
      layout: 'force',
      roam: true,
      draggable: true,
      force: { repulsion: 320, edgeLength: [80, 140], gravity: 0.08 },
      categories: roles.map((r) => ({ name: roleName(r), itemStyle: { color: ROLE_COLOURS[r] } })),
      data: nodes.map((n) => ({
        id: n.id,
        name: label(n),
        value: n.generation,
        category: Math.max(0, roles.indexOf(n.role)),
        symbolSize: n.role === 'case' ? 30 : 18,
        label: { show: true, position: 'right' },
      })),
      links: links.map((l) => ({ source: l.source, target: l.target, lineStyle: { color: LINK_COLOURS[l.kind] || '#999', type: l.kind === 'infected' ? 'solid' : 'dashed' } })),
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 6,
    }],
  }
}

/* A node's name; a person outside the caller's scope comes without one (hidden). */
export function nodeName(n, hiddenName = '…') {
  return n.hidden || !n.name ? hiddenName : n.name
}

function defaultLabel(n) {
  return n.generation ? `${nodeName(n)}\nG${n.generation}` : nodeName(n)
}
