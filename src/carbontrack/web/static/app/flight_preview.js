// The live flight preview of /log: as the airports, trip, cabin and passengers change, it asks
// GET /api/flights/estimate (the service that saving a flight uses) for the distance, the haul
// and the kg CO2e, and writes them where the server's Preview button writes them. Without this
// script the Preview button still asks the server for the same.

import { byId, formatKg, getJSON } from "./shared.js";

const PREVIEW_DELAY_MS = 250;
// How the server reads an airport field (flight_form._code_in): "Name (LHR)" or "lhr".
const CODE_AT_END = /\(([A-Za-z]{3})\)\s*$/;
const BARE_CODE = /^\s*([A-Za-z]{3})\s*$/;
const ONE_DECIMAL = new Intl.NumberFormat("en-GB", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** The IATA code an airport field means: a picked choice, else a code in its text, else "". */
export function airportCode(data, name) {
  const match = CODE_AT_END.exec(data.get(name) || "") || BARE_CODE.exec(data.get(name) || "");
  return data.get(`${name}Pick`) || (match ? match[1].toUpperCase() : "");
}

function paragraph(...parts) {
  const line = document.createElement("p");
  line.append(...parts);
  return line;
}

export class FlightPreview {
  constructor() {
    this.form = byId("flight-form");
    this.box = byId("flight-preview");
    this.words = JSON.parse(byId("flight-words").textContent);
    for (const kind of ["input", "change"]) this.form.addEventListener(kind, () => this.schedule());
  }

  schedule() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.update(), PREVIEW_DELAY_MS);
  }

  /** The estimate's query, or a sentence saying what is missing. */
  query() {
    const data = new FormData(this.form);
    const [origin, destination] = [airportCode(data, "from"), airportCode(data, "to")];
    if (!origin || !destination) return "Pick both airports to see the distance and footprint.";
    if (!byId("f-passengers").validity.valid) return "Enter 1 to 9 passengers.";
    const trip = data.get("trip") === "one-way" ? "false" : "true";
    const cabin = data.get("cabin");
    const passengers = data.get("passengers");
    return new URLSearchParams({ from: origin, to: destination, return: trip, cabin, passengers });
  }

  async update() {
    this.pending?.abort();
    const query = this.query();
    if (typeof query === "string") return this.say(paragraph(query));
    const controller = new AbortController();
    this.pending = controller;
    try {
      this.show(await getJSON(`/api/flights/estimate?${query}`, controller.signal));
    } catch (error) {
      if (!controller.signal.aborted) this.say(paragraph(`No preview: ${error.message}`));
    }
  }

  /** The same two sentences as the server's preview (log.html, #flight-preview). */
  show(estimate) {
    const total = document.createElement("strong");
    total.textContent = `About ${formatKg(estimate.co2eKg)} kg CO2e`;
    const each = estimate.return ? " each way" : "";
    const haul = this.words.hauls[estimate.haul];
    const km = ONE_DECIMAL.format(estimate.distanceKm);
    const pkm = ONE_DECIMAL.format(estimate.passengerKm);
    const rest = `: ${km} km${each}, ${haul}; ${pkm} passenger-km at ${estimate.co2eKgPerUnit} kg CO2e each.`;
    this.say(paragraph(total, rest), paragraph(`${this.words.method} Source: ${estimate.dataset}.`));
  }

  say(...lines) {
    this.box.replaceChildren(...lines);
  }
}
