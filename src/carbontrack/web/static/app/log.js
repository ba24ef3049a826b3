// The log page (/log): pick an activity with the combobox, get units of its dimension only,
// and see the kg CO2e before saving. The preview comes from GET /api/factors/{id}/estimate,
// the same footprint engine that saving uses (unit conversion included), so the number shown
// is the number saved. Without this script the page still works: search reloads the page with
// results, and the Preview button asks the server.

import { Combobox } from "./combobox.js";

const SEARCH_LIMIT = 10;
const PREVIEW_DELAY_MS = 250;

const byId = (id) => document.getElementById(id);

/** GET JSON from this app (the session cookie goes along); errors carry the API's detail. */
async function getJSON(url, signal) {
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

function searchFactors(text, signal) {
  const query = new URLSearchParams({ q: text, limit: String(SEARCH_LIMIT) });
  return getJSON(`/api/factors?${query}`, signal).then((body) => body.items);
}

function optionLabel(factor) {
  const name = document.createElement("span");
  name.className = "option-name";
  name.textContent = factor.activity;
  const detail = document.createElement("span");
  detail.className = "option-detail";
  detail.textContent = `${factor.category} · per ${factor.unit} · ${factor.region} · ${factor.dataset}`;
  return [name, detail];
}

class LogForm {
  constructor() {
    this.factorId = byId("factor-id");
    this.quantity = byId("f-quantity");
    this.unit = byId("f-unit");
    this.preview = byId("preview");
    this.unitChoices = JSON.parse(byId("unit-choices").textContent);
    this.timer = 0;
    this.pending = null;
    byId("preview-button")?.setAttribute("hidden", "");
    this.quantity.addEventListener("input", () => this.schedulePreview());
    this.unit.addEventListener("change", () => this.schedulePreview());
    if (this.factorId.value && this.quantity.value) this.schedulePreview();
  }

  /** Show a factor chosen in the combobox, offer its units, and move on to the quantity. */
  choose(factor) {
    this.factorId.value = factor.factorId;
    byId("chosen-activity").textContent = `${factor.activity} (${factor.region})`;
    byId("factor-value").textContent = `${factor.co2eKgPerUnit} kg CO2e per ${factor.unit}`;
    byId("factor-citation").textContent = factor.source;
    byId("factor-dataset").textContent = `${factor.dataset}, values for ${factor.year}`;
    byId("factor-licence").textContent = factor.licence;
    byId("factor-source").hidden = false;
    byId("f-factorId-error")?.remove();
    byId("f-factorId").removeAttribute("aria-invalid");
    this.offerUnits(factor.unitType, factor.unit);
    const url = new URL(window.location.href);
    url.search = new URLSearchParams({ factor: factor.factorId }).toString();
    window.history.replaceState(null, "", url);
    this.quantity.focus();
    this.schedulePreview();
  }

  offerUnits(unitType, selected) {
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
      this.preview.textContent = `About ${formatKg(estimate.co2eKg)} kg CO2e`;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.preview.textContent = `No preview: ${error.message}`;
    }
  }
}

const logForm = new LogForm();
new Combobox(byId("f-factorId"), byId("factor-options"), byId("factor-search-status"), {
  search: searchFactors,
  label: optionLabel,
  onChoose: (factor) => logForm.choose(factor),
});
