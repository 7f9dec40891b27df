// What a scanned or typed code is: a resident's personal sampling code ("FK1:<person id>:<hmac>",
// the QR printed per building or shown on the resident's phone), a resident ID number (GB 11643,
// 18 characters with a check digit), or anything else, which at the desk is a tube barcode.

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

export function idCheckDigit(first17) {
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i]
  return '10X98765432'[s % 11]
}

/* Full-width ASCII forms (U+FF01..U+FF5E, as Chinese input methods type them) to ASCII: the
 * same folding the server applies to ID numbers and phones (src/base/norm.h). */
export function foldWidth(raw) {
  return String(raw || '').replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/* {kind: 'person_code' | 'id_number' | 'bad_id' | 'other' | 'empty', value}. An ID number may be
 * typed full-width or with spaces ("3702 1219 ..."); its value is the folded number. */
export function classify(raw) {
  const value = foldWidth(raw).trim()
  if (!value) return { kind: 'empty', value }
  if (/^FK1:/i.test(value)) return { kind: 'person_code', value: 'FK1:' + value.slice(4) }
  const id = value.replace(/\s+/g, '').toUpperCase()
  if (/^\d{17}[\dX]$/.test(id))
    return { kind: idCheckDigit(id) === id[17] ? 'id_number' : 'bad_id', value: id }
  return { kind: 'other', value }
}

/* What a queued scan shows before the server has named the person: never a full ID number. */
export function maskCode(kind, value) {
  if (kind === 'id_number' || kind === 'bad_id') return value.slice(0, 6) + '********' + value.slice(14)
  if (kind === 'person_code') return value.split(':').slice(0, 2).join(':')
  return value
}

/* A random client key for idempotent retries. crypto.randomUUID only exists in secure contexts
 * (https or localhost); a phone on the site's LAN over plain http still has getRandomValues. */
export function clientKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/* Short feedback on the phone: one buzz for a good scan, three for a refused one. */
export function buzz(ok) {
  if (typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function')
    navigator.vibrate(ok ? 40 : [200, 80, 200, 80, 200])
}
