// How numbers, dates and places read on the page. Dates are calendar days (YYYY-MM-DD) in UTC,
// as the satellite data has them, so the viewer's time zone never shifts a day.

const LONG_DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const COMPASS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];

/** "2018-03-14" as a Date at midnight UTC. */
export function parseDay(day) {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date));
}

/** A Date as "YYYY-MM-DD" (UTC). */
export function dayKey(date) {
  return date.toISOString().slice(0, 10);
}

/** "14 March 2018". */
export function longDate(day) {
  return LONG_DATE.format(parseDay(day));
}

/** "March 2018" for a year and a 0-based month. */
export function monthTitle(year, month) {
  return MONTH.format(new Date(Date.UTC(year, month, 1)));
}

/** An ISO timestamp as "14 Mar 2018, 10:00 UTC"; the raw value if it does not parse. */
export function dateTime(iso) {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? String(iso) : `${DATE_TIME.format(parsed)} UTC`;
}

/** A number with a fixed number of decimals, or "n/a". */
export function number(value, decimals = 1) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(decimals) : "n/a";
}

/** "+3.2 ppm" / "−0.4 ppm". */
export function signedPpm(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "n/a";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  return `${sign}${Math.abs(value).toFixed(1)} ppm`;
}

/** "34.05° N, 118.25° W". */
export function latLon(lat, lon) {
  const ns = lat >= 0 ? "N" : "S";
  const ew = lon >= 0 ? "E" : "W";
  return `${Math.abs(lat).toFixed(2)}° ${ns}, ${Math.abs(lon).toFixed(2)}° ${ew}`;
}

/** A bearing in degrees as a compass point: 270 -> "W". */
export function compass(degrees) {
  const index = Math.round((((degrees % 360) + 360) % 360) / 45) % 8;
  return COMPASS[index];
}

/** "5.2 m/s from the W (270°)", or a plain statement that the wind is unknown. */
export function wind(value) {
  if (!value || typeof value.speedMs !== "number") return "unknown for this point";
  const from = typeof value.fromDeg === "number" ? value.fromDeg : null;
  if (from === null) return `${value.speedMs.toFixed(1)} m/s`;
  return `${value.speedMs.toFixed(1)} m/s from the ${compass(from)} (${Math.round(from)}°)`;
}
