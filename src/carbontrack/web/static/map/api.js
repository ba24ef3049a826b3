// The anomaly API this page reads (same origin only; the page's CSP allows nothing else).

/** GET or POST JSON; a failure becomes an Error whose message a person can read. */
async function requestJSON(url, init = {}) {
  let response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { Accept: "application/json", ...(init.headers || {}) },
    });
  } catch {
    throw new Error("The CarbonTrack server could not be reached.");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(describeFailure(body, response));
  return body;
}

function describeFailure(body, response) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length && detail[0].msg) return detail[0].msg;
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

/** Every day with anomalies ({counts}: a Map of "YYYY-MM-DD" -> count) and the busiest day of
 * the data's last 90 days ({busiestRecentDay}), where the map opens.
 *
 * The API answers at most 400 days at a time, with the data set's first and last day: a
 * one-day probe learns those, then one request per calendar year fills the whole calendar.
 */
export async function fetchDates() {
  const today = new Date().toISOString().slice(0, 10);
  const probe = await requestJSON(datesUrl(today, today));
  const first = Number(probe.dataFrom.slice(0, 4));
  const last = Number(probe.dataTo.slice(0, 4));
  const years = Array.from({ length: last - first + 1 }, (_, index) => first + index);
  const bodies = await Promise.all(
    years.map((year) => requestJSON(datesUrl(`${year}-01-01`, `${year}-12-31`))),
  );
  const counts = new Map(bodies.flatMap((body) => body.dates.map((row) => [row.date, row.count])));
  return { counts, busiestRecentDay: probe.busiestRecentDay };
}

function datesUrl(from, to) {
  const query = new URLSearchParams({ from, to });
  return `/api/anomalies/dates?${query}`;
}

/** The anomalies of one day, as a GeoJSON FeatureCollection's features. */
export async function fetchDay(day) {
  const body = await requestJSON(`/api/anomalies?date=${encodeURIComponent(day)}`);
  return body.features;
}

/** The explanation of one point: {reasoning, facts, provider, model, cached, ...}. */
export function explain(feature, day) {
  const [lon, lat] = feature.geometry.coordinates;
  const { xco2, deviationPpm, severity, zscore } = feature.properties;
  return requestJSON("/api/reasoning", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ lat, lon, date: day, xco2, deviationPpm, severity, zscore }),
  });
}
