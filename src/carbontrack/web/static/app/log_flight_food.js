// The flight and food parts of /log (log.js imports this). A flight is logged by its airports:
// choosing the "Flight" activity swaps the quantity form for the flight form, whose From and
// To fields become comboboxes over GET /api/airports (a picked airport reads "Name (LHR)",
// which the server takes as the code LHR); flight_preview.js shows what the flight would log as
// it changes. A food factor offers its portions as one-tap quantities and says how sure its
// number is. Without this script the page works as it is: ?activity=flight opens the flight
// form, and each portion is a link that fills in its grams.

import { Combobox } from "./combobox.js";
import { byId, getJSON } from "./shared.js";

const AIRPORT_LIMIT = 8;

/** Show the flight form instead of the quantity form (or back), and keep the URL in step. */
export function showFlight(open) {
  byId("flight-section").hidden = !open;
  byId("amount-section").hidden = open;
  if (!open) return;
  const url = new URL(window.location.href);
  url.search = new URLSearchParams({ activity: "flight" }).toString();
  window.history.replaceState(null, "", url);
  byId("f-from").focus();
}

async function searchAirports(text, signal) {
  const query = new URLSearchParams({ q: text, limit: String(AIRPORT_LIMIT) });
  return (await getJSON(`/api/airports?${query}`, signal)).items;
}

function airportLabel(airport) {
  const name = document.createElement("span");
  name.className = "option-name";
  name.textContent = `${airport.iata} · ${airport.name}`;
  const detail = document.createElement("span");
  detail.className = "option-detail";
  detail.textContent = `${airport.city}, ${airport.country}`;
  return [name, detail];
}

/** From and To: comboboxes over the airports; a choice writes "Name (CODE)". */
export function startAirportFields() {
  for (const name of ["from", "to"]) {
    const input = byId(`f-${name}`);
    new Combobox(input, byId(`${name}-options`), byId(`${name}-status`), {
      search: searchAirports,
      label: airportLabel,
      nouns: ["airport", "airports"],
      onChoose: (airport) => {
        input.value = `${airport.name} (${airport.iata})`;
        // "change", not "input": the flight preview listens, the combobox would search again.
        input.dispatchEvent(new Event("change", { bubbles: true }));
      },
    });
  }
}

/** The portions of the chosen factor as one-tap quantities, and the food caveat. */
export class FoodPortions {
  constructor({ quantity, unit }) {
    this.quantity = quantity;
    this.unit = unit;
    this.byFactor = JSON.parse(byId("food-portions").textContent);
    byId("portions").addEventListener("click", (event) => {
      const link = event.target.closest("a[data-grams]");
      if (!link) return;
      event.preventDefault();
      this.use(link.dataset.grams);
    });
  }

  /** Fill in a portion's grams; the quantity's input event runs the live preview. */
  use(grams) {
    if (![...this.unit.options].some((option) => option.value === "g")) return;
    this.unit.value = "g";
    this.quantity.value = grams;
    this.quantity.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** Offer the portions of `factor` (none for other factors), and the caveat for food. */
  show(factor) {
    const portions = this.byFactor[factor.factorId] || [];
    const links = portions.map((portion) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      const query = { factor: factor.factorId, quantity: portion.grams, unit: "g" };
      link.href = `/log?${new URLSearchParams(query)}`;
      link.dataset.grams = portion.grams;
      link.textContent = `${portion.name}, ${portion.grams} g`;
      item.append(link);
      return item;
    });
    byId("portions").querySelector("ul").replaceChildren(...links);
    byId("portions").hidden = links.length === 0;
    const caveat = byId("food-caveat");
    caveat.hidden = factor.category !== "food";
    caveat.textContent = caveat.hidden
      ? ""
      : `${factor.dataset} (${factor.licence}): global mean of many producers; the spread is wide.`;
  }
}
