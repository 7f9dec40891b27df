// week: the days of a roster week in China Standard Time (UTC+8 all year), as the server
// counts them: Monday 00:00 to the next Monday.
const DAY = 24 * 3600 * 1000
const CST = 8 * 3600 * 1000

/* "YYYY-MM-DD" of the China day holding epoch ms at. */
export function chinaDay(at) {
  return new Date(at + CST).toISOString().slice(0, 10)
}

/* The Monday ("YYYY-MM-DD") of the week holding the China day `day`. */
export function mondayOf(day) {
  const d = new Date(`${day}T00:00:00Z`)
  const wd = (d.getUTCDay() + 6) % 7 // Monday 0
  return new Date(d.getTime() - wd * DAY).toISOString().slice(0, 10)
}

/* The seven days of the week from monday, and one moved by n weeks. */
export function weekDays(monday) {
  const t0 = new Date(`${monday}T00:00:00Z`).getTime()
  return Array.from({ length: 7 }, (_, i) => new Date(t0 + i * DAY).toISOString().slice(0, 10))
}
export function moveWeek(monday, n) {
  return new Date(new Date(`${monday}T00:00:00Z`).getTime() + n * 7 * DAY).toISOString().slice(0, 10)
}

/* "HH:MM" in China of an ISO time. */
export function clock(iso) {
  return new Date(new Date(iso).getTime() + CST).toISOString().slice(11, 16)
}
