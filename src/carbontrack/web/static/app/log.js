// The log page (/log): pick an activity with the combobox (everyday activities from
// GET /api/activities first, then raw factors), get units of its dimension only,
// and see the kg CO2e before saving. The preview comes from GET /api/factors/{id}/estimate,
// the same footprint engine that saving uses (unit conversion included), so the number shown
// is the number saved. Without this script the page still works: search reloads the page with
// results, and the Preview button asks the server.

import { Combobox } from "./combobox.js";
import { FlightPreview } from "./flight_preview.js";
import { FoodPortions, showFlight, startAirportFields } from "./log_flight_food.js";
import { byId, formatKg, getJSON } from "./shared.js";

const SEARCH_LIMIT = 10;
const PREVIEW_DELAY_MS = 250;

/** Activities (a flight too: it opens the flight form) then raw factors; says so when none. */
async function searchActivities(text, signal) {
  const query = new URLSearchParams({ q: text, limit: String(SEARCH_LIMIT) });
  const body = await getJSON(`/api/activities?${query}`, signal);
  const found = [...body.items, ...body.factors];
  const noMatch = byId("no-match");
  noMatch.hidden = found.length > 0;
  noMatch.textContent = found.length
    ? ""
    : `Nothing matches “${text}”. Try other words, or browse a category below.`;
  return found;
}

function optionLabel(item) {
  const name = document.createElement("span");
  name.className = "option-name";
  const detail = document.createElement("span");
  detail.className = "option-detail";
  if (item.activityId) {
    name.textContent = item.name;
    const per = item.unit ? ` · per ${item.unit}` : "";
    detail.textContent = `${item.category}${per} · ${item.note}`;
  } else {
    name.textContent = item.activity;
    detail.textContent = `${item.category} · per ${item.unit} · ${item.region} · ${item.dataset}`;
  }
  return [name, detail];
}

class LogForm {
  constructor() {
    this.factorId = byId("factor-id");
    this.quantity = byId("f-quantity");
    this.unit = byId("f-unit");
    this.preview = byId("preview");
    this.unitChoices = JSON.parse(byId("unit-choices").textContent);
    this.unitHelp = JSON.parse(byId("unit-help-lines").textContent);
    this.timer = 0;
    this.pending = null;
    this.portions = new FoodPortions({ quantity: this.quantity, unit: this.unit });
    byId("preview-button")?.setAttribute("hidden", "");
    this.quantity.addEventListener("input", () => this.schedulePreview());
    this.unit.addEventListener("change", () => this.schedulePreview());
    if (this.factorId.value && this.quantity.value) this.schedulePreview();
  }

  /** An everyday activity: its factor, in the unit people use for it. */
  async chooseActivity(activity) {
    try {
      const factor = await getJSON(`/api/factors/${encodeURIComponent(activity.factorId)}`);
      this.choose(factor, { unit: activity.unit, name: activity.name });
    } catch (error) {
      this.preview.textContent = `No activity: ${error.message}`;
    }
  }

  /** Show a factor chosen in the combobox, offer its units, and move on to the quantity. */
  choose(factor, { unit = factor.unit, name = "" } = {}) {
    // A trip is offered in the profile's distance unit (km or miles), whatever the default.
    if (factor.unitType === "distance") unit = byId("entry-form").dataset.distanceUnit;
    this.factorId.value = factor.factorId;
    const prefix = name ? `${name}: ` : "";
    byId("chosen-activity").textContent = `${prefix}${factor.activity} (${factor.region})`;
    byId("factor-value").textContent = `${factor.co2eKgPerUnit} kg CO2e per ${factor.unit}`;
    byId("factor-citation").textContent = factor.source;
    byId("factor-dataset").textContent = `${factor.dataset}, values for ${factor.year}`;
    byId("factor-licence").textContent = factor.licence;
    byId("factor-source").hidden = false;
    byId("f-factorId-error")?.remove();
    byId("f-factorId").removeAttribute("aria-invalid");
    this.offerUnits(factor.unitType, unit, /passenger/i.test(factor.activity));
    this.portions.show(factor);
    showFlight(false);
    const url = new URL(window.location.href);
    const params = name ? { factor: factor.factorId, unit } : { factor: factor.factorId };
    url.search = new URLSearchParams(params).toString();
    window.history.replaceState(null, "", url);
    this.quantity.focus();
    this.schedulePreview();
  }

  offerUnits(unitType, selected, perPassenger = false) {
    const choices = [...(this.unitChoices[unitType] || [])];
    if (!choices.some(([value]) => value === selected)) choices.push([selected, selected]);
    const options = choices.map(([value, label]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      option.selected = value === selected;
      return option;
    });
    this.unit.replaceChildren(...options);
    this.unit.disabled = false;
    this.showUnitHelp(choices.map(([value]) => value), perPassenger);
  }

  /** One line per offered unit on what it is and its size (domain/unit_help.py, from the page). */
  showUnitHelp(values, perPassenger) {
    const lines = values.map((value) => this.unitHelp.units[value]).filter(Boolean);
    if (perPassenger) lines.push(this.unitHelp.passengerKm);
    const items = lines.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    });
    byId("unit-help-list").replaceChildren(...items);
    byId("unit-help").hidden = items.length === 0;
  }

  schedulePreview() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.updatePreview(), PREVIEW_DELAY_MS);
  }

  async updatePreview() {
    this.pending?.abort();
    const quantity = this.quantity.value.trim();
    if (!this.factorId.value) {
      this.preview.textContent = "Choose an activity to see its footprint.";
      return;
    }
    if (!quantity || !this.quantity.validity.valid) {
      this.preview.textContent = "Enter a quantity to see its footprint.";
      return;
    }
    const controller = new AbortController();
    this.pending = controller;
    const query = new URLSearchParams({ quantity, unit: this.unit.value });
    const url = `/api/factors/${encodeURIComponent(this.factorId.value)}/estimate?${query}`;
    try {
      const estimate = await getJSON(url, controller.signal);
      const pictured = estimate.equivalents.map((e) => ` (${e.text})`).join("");
      this.preview.textContent = `About ${formatKg(estimate.co2eKg)} kg CO2e${pictured}`;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.preview.textContent = `No preview: ${error.message}`;
    }
  }
}

const logForm = new LogForm();
new Combobox(byId("f-factorId"), byId("factor-options"), byId("factor-search-status"), {
  search: searchActivities,
  label: optionLabel,
  onChoose: (item) => {
    if (item.input === "route") showFlight(true);
    else if (item.activityId) logForm.chooseActivity(item);
    else logForm.choose(item);
  },
});
startAirportFields();
new FlightPreview();
byId("f-factorId").addEventListener("input", (event) => {
  if (event.target.value.trim().length < 2) byId("no-match").hidden = true;
});
