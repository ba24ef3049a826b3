// What the /log page's modules share: element lookup, JSON from this app, kg as people read it.

export const byId = (id) => document.getElementById(id);

/** GET JSON from this app (the session cookie goes along); errors carry the API's detail. */
export async function getJSON(url, signal) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("The CarbonTrack server could not be reached.");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.detail;
    if (typeof detail === "string") throw new Error(detail);
    if (Array.isArray(detail) && detail[0]?.msg) throw new Error(detail[0].msg);
    throw new Error(`The server answered ${response.status}.`);
  }
  return body;
}

/** kg CO2e as the server formats it (carbontrack.web.app.entry_form.format_kg). */
export function formatKg(kg) {
  if (kg === 0) return "0";
  if (kg < 0.001) return "less than 0.001";
  if (kg < 1) return new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 3 }).format(kg);
  const digits = kg < 100 ? 2 : 0;
  return new Intl.NumberFormat("en-GB", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(kg);
}
