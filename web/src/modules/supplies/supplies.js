// supplies: what the stock screens share — the kinds of places, items' categories, the moves
// and their reasons, and the body of a move from its form (checked before it is sent).
export const PLACE_KINDS = ['warehouse', 'site', 'checkpoint', 'facility']
export const CATEGORIES = ['ppe', 'test_kit', 'swab', 'tube', 'disinfectant', 'living_pack', 'other']
export const MOVE_KINDS = ['receive', 'issue', 'transfer', 'adjust']
export const SOURCES = ['purchase', 'donation', 'transfer_in']
export const REASONS = ['lost', 'damaged', 'expired', 'counted']
// who changes the catalogue, who records moves (the server decides; the screens hide the rest)
export const CATALOG_ROLES = ['admin', 'commander']
export const MOVE_ROLES = ['admin', 'commander', 'community']

// The first problem of a move's form as {key, field}, or null.
export function moveProblem(f) {
  if (!f.placeId) return { key: 'supplies.needPlace', field: 'place_id' }
  if (!f.itemId) return { key: 'supplies.needItem', field: 'item_id' }
  const q = Number(f.qty)
  if (f.qty === '' || !Number.isFinite(q) || q < 0) return { key: 'supplies.badQty', field: 'qty' }
  if (q === 0 && !(f.kind === 'adjust' && f.reason === 'counted')) return { key: 'supplies.badQty', field: 'qty' }
  if (f.kind === 'transfer' && (!f.toPlaceId || f.toPlaceId === f.placeId)) return { key: 'supplies.needToPlace', field: 'to_place_id' }
  if (f.kind === 'adjust' && !f.reason) return { key: 'supplies.needReason', field: 'reason' }
  return null
}

// The API body of a move's form (without its client key).
export function moveBody(f) {
  const b = { kind: f.kind, place_id: f.placeId, item_id: f.itemId, qty: Number(f.qty) }
  if (f.kind === 'transfer') b.to_place_id = f.toPlaceId
  if (f.kind === 'receive') b.source = f.source
  if (f.kind === 'adjust') b.reason = f.reason
  if (f.lot) b.lot = f.lot
  if (f.kind === 'receive' && f.expiry) b.expiry = f.expiry
  if (f.note) b.note = f.note
  return b
}

// A quantity as the board shows it: whole numbers plain, others to two decimals.
export function qtyText(q) {
  return Number.isInteger(q) ? String(q) : Number(q).toFixed(2)
}
