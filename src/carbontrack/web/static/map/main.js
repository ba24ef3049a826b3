// The CO2 anomaly explorer: a calendar of days with data, the day's points on a Leaflet map
// (offline base map unless the operator set a tile URL), and a panel that explains a point.
// Leaflet comes from /static/vendor (copied from the npm lock by `make setup`).

import { explain, fetchDates, fetchDay } from "./api.js";
import { Calendar } from "./calendar.js";
import { errorMessage, fill, h, loadingMessage } from "./dom.js";
import * as format from "./format.js";
import { addCityLabels } from "./labels.js";
import { Panel } from "./panel.js";
import { colourOf, legendRows, RADIUS_BY_SEVERITY } from "./scale.js";
import { fitWhenIdle, Selection, trackZooms } from "./selection.js";
import { readState, writeState } from "./state.js";

const byId = (id) => document.getElementById(id);
const PICK_A_POINT = "Pick a point on the map or in the list of points.";
const COUNTRY_STYLE = {
  className: "country",
  color: "#8a8f8c",
  weight: 0.6,
  fillColor: "#f2efe6",
  fillOpacity: 1,
};
const PICK_A_DAY = "Pick a highlighted day on the calendar to see its anomalies.";
// On a phone the panel is a bottom sheet over the map (map.css uses the same width).
const PHONE = window.matchMedia("(max-width: 600px)");

class Explorer {
  constructor(L) {
    this.L = L;
    this.map = createMap(L, byId("map"), byId("map-status"));
    this.layer = L.layerGroup().addTo(this.map);
    this.selection = new Selection(L, this.map);
    this.busiestDay = null;
    this.opener = null;
    this.markers = new Map();
    this.features = new Map();
    this.day = null;
    this.pointId = null;
    this.dayRequest = 0;
    this.reasonRequest = 0;
    this.list = byId("point-list");
    this.listTitle = byId("points-title");
    this.panel = new Panel({
      root: byId("panel"),
      title: byId("panel-title"),
      content: byId("panel-content"),
    });
    this.calendar = new Calendar(
      {
        title: byId("month-title"),
        days: byId("calendar-days"),
        weekdays: byId("calendar-weekdays"),
        previous: byId("previous-month"),
        next: byId("next-month"),
        previousData: byId("previous-data-month"),
        nextData: byId("next-data-month"),
      },
      (day) => this.pickDay(day),
    );
    window.addEventListener("popstate", () => this.restore(readState()));
    byId("panel-close").addEventListener("click", () => this.closeSheet());
    byId("panel").addEventListener("keydown", (event) => {
      if (event.key === "Escape" && document.body.classList.contains("sheet-open")) {
        this.closeSheet();
      }
    });
  }

  /** On a phone: show the panel as a sheet over the lower half, the map above it. */
  openSheet() {
    document.body.classList.add("sheet-open");
    if (!PHONE.matches) return;
    this.opener = document.activeElement;
    byId("map").scrollIntoView({ block: "start" });
    byId("panel").focus({ preventScroll: true });
  }

  /** Dismiss the sheet; focus goes back to what opened it (or to the day's points). */
  closeSheet() {
    document.body.classList.remove("sheet-open");
    const back =
      this.opener && this.opener !== document.body && this.opener.isConnected
        ? this.opener
        : this.list.querySelector('button[aria-pressed="true"]') || byId("point-list");
    this.opener = null;
    if (PHONE.matches && back) back.focus();
  }

  async start() {
    const status = byId("calendar-status");
    fill(status, loadingMessage("Loading the days with data…"));
    let counts;
    try {
      ({ counts, busiestRecentDay: this.busiestDay } = await fetchDates());
    } catch (error) {
      fill(
        status,
        errorMessage(`The days with data could not be loaded: ${error.message}`, () =>
          this.start(),
        ),
      );
      return;
    }
    fill(status, counts.size ? null : h("p", {}, "No anomaly data is loaded."));
    this.calendar.setCounts(counts);
    this.restore(readState());
  }

  /** Show what the URL asks for: a day (and a point), or else the busiest recent day. */
  restore({ date, point }) {
    const day = date || this.busiestDay;
    if (day) {
      this.showDay(day, point);
      return;
    }
    this.day = null;
    this.dayRequest += 1;
    this.reasonRequest += 1;
    document.title = "CO2 anomaly map · CarbonTrack";
    this.clearPoints();
    const last = this.calendar.lastDay();
    if (last) this.calendar.show(last.slice(0, 7));
    fill(this.list);
    this.listTitle.textContent = "Points";
    this.panel.showHint(PICK_A_DAY);
  }

  pickDay(day) {
    writeState({ date: day });
    this.showDay(day, null);
  }

  async showDay(day, pointId) {
    this.day = day;
    this.pointId = null;
    this.calendar.select(day);
    this.listTitle.textContent = `Points on ${format.longDate(day)}`;
    document.title = `CO2 anomalies on ${format.longDate(day)} · CarbonTrack`;
    const request = ++this.dayRequest;
    this.reasonRequest += 1;
    this.clearPoints();
    if (!this.calendar.counts.has(day)) {
      fill(this.list, h("li", {}, `No anomalies on ${format.longDate(day)}. ${PICK_A_DAY}`));
      this.panel.showHint(PICK_A_DAY);
      return;
    }
    fill(this.list, h("li", {}, loadingMessage("Loading this day's anomalies…")));
    this.panel.showHint(PICK_A_POINT);
    let features;
    try {
      features = await fetchDay(day);
    } catch (error) {
      if (request !== this.dayRequest) return;
      const retry = () => this.showDay(day, pointId);
      fill(
        this.list,
        h("li", {}, errorMessage(`This day could not be loaded: ${error.message}`, retry)),
      );
      return;
    }
    if (request !== this.dayRequest) return;
    this.drawPoints(features);
    if (!pointId) return;
    if (this.features.has(pointId)) this.showPoint(pointId);
    else
      this.panel.showProblem(
        `Point ${pointId} is not among the anomalies of ${format.longDate(day)}.`,
      );
  }

  clearPoints() {
    document.body.classList.remove("sheet-open");
    this.selection.clear();
    this.layer.clearLayers();
    this.markers.clear();
    this.features.clear();
  }

  drawPoints(features) {
    const ascending = [...features].sort(
      (a, b) => a.properties.deviationPpm - b.properties.deviationPpm,
    );
    // Drawn smallest first, so the largest deviations stay on top where points overlap.
    for (const feature of ascending) this.addMarker(feature);
    fill(this.list, ...ascending.reverse().map((feature) => this.listItem(feature)));
    if (!features.length) {
      fill(this.list, h("li", {}, "No anomalies on this day."));
      return;
    }
    const bounds = this.L.latLngBounds([...this.markers.values()].map((m) => m.getLatLng()));
    fitWhenIdle(this.map, bounds.pad(0.4), { maxZoom: 6 });
  }

  addMarker(feature) {
    const id = String(feature.id);
    const [lon, lat] = feature.geometry.coordinates;
    const marker = this.L.circleMarker([lat, lon], markerStyle(feature, false));
    marker.bindTooltip(
      h(
        "span",
        {},
        `${format.signedPpm(feature.properties.deviationPpm)}, ${feature.properties.severity}`,
      ),
    );
    marker.on("click", () => this.pickPoint(id, false));
    marker.addTo(this.layer);
    marker.getElement().dataset.anomalyId = id;
    this.markers.set(id, marker);
    this.features.set(id, feature);
  }

  listItem(feature) {
    const id = String(feature.id);
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const swatch = h("span", { className: "swatch", "aria-hidden": "true" });
    swatch.style.backgroundColor = colourOf(p.deviationPpm);
    const button = h(
      "button",
      { type: "button", className: "point", dataset: { anomalyId: id }, "aria-pressed": "false" },
      swatch,
      h("span", { className: "point-deviation" }, format.signedPpm(p.deviationPpm)),
      h("span", { className: "point-detail" }, `${p.severity} · ${format.latLon(lat, lon)}`),
    );
    button.addEventListener("click", () => this.pickPoint(id, true));
    return h("li", {}, button);
  }

  pickPoint(id, fromKeyboardList) {
    writeState({ date: this.day, point: id });
    this.showPoint(id);
    if (fromKeyboardList) byId("panel").focus();
  }

  showPoint(id) {
    this.pointId = id;
    this.selection.clear();
    for (const [markerId, marker] of this.markers) {
      const selected = markerId === id;
      marker.setStyle(markerStyle(this.features.get(markerId), selected));
      marker.getElement().classList.toggle("selected", selected);
      if (selected) marker.bringToFront();
    }
    for (const button of this.list.querySelectorAll("button[data-anomaly-id]")) {
      button.setAttribute("aria-pressed", button.dataset.anomalyId === id ? "true" : "false");
    }
    const feature = this.features.get(id);
    this.panel.showPoint(feature, this.day);
    this.openSheet();
    this.explainPoint(feature);
  }

  async explainPoint(feature) {
    const request = ++this.reasonRequest;
    let result;
    try {
      result = await explain(feature, this.day);
    } catch (error) {
      if (request !== this.reasonRequest) return;
      this.panel.showExplanationError(error.message, () => {
        this.panel.showLoading();
        this.explainPoint(feature);
      });
      return;
    }
    if (request !== this.reasonRequest) return;
    this.panel.showExplanation(result);
    const [lon, lat] = feature.geometry.coordinates;
    this.selection.show([lat, lon], result.facts || [], result.citedFactIds || []);
  }
}

function markerStyle(feature, selected) {
  const { deviationPpm, severity } = feature.properties;
  const radius = RADIUS_BY_SEVERITY[severity] || RADIUS_BY_SEVERITY.low;
  return {
    radius: selected ? radius + 4 : radius,
    color: selected ? "#000000" : "#3a3a3a",
    weight: selected ? 3 : 1,
    fillColor: colourOf(deviationPpm),
    fillOpacity: 0.9,
    className: "anomaly-marker",
  };
}

function createMap(L, element, status) {
  // Zooms jump rather than glide for whoever asked their system for less motion.
  const animate = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const map = L.map(element, {
    worldCopyJump: true,
    minZoom: 1,
    maxZoom: 10,
    zoomAnimation: animate,
    fadeAnimation: animate,
    markerZoomAnimation: animate,
  }).setView([20, 0], 2);
  trackZooms(map);
  map.createPane("basemap");
  const tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    const host = new URL(tileUrl.replaceAll("{s}", "a")).host;
    L.tileLayer(tileUrl, { attribution: `Tiles: ${host}` }).addTo(map);
  } else {
    addCountries(L, map, status);
  }
  addCityLabels(L, map).catch(() =>
    status.append(h("p", { className: "error" }, "The city names could not be loaded.")),
  );
  return map;
}

/** The offline base map: Natural Earth country outlines served by the app. */
async function addCountries(L, map, status) {
  try {
    const response = await fetch("/map/countries.geojson");
    if (!response.ok) throw new Error(`${response.status}`);
    const countries = await response.json();
    L.geoJSON(countries, { pane: "basemap", interactive: false, style: COUNTRY_STYLE }).addTo(map);
    map.attributionControl.addAttribution("Natural Earth");
  } catch {
    fill(
      status,
      h("p", { className: "error" }, "The base map could not be loaded; points still show."),
    );
  }
}

function fillLegend(element) {
  fill(
    element,
    h("h2", { id: "legend-title" }, "Deviation from the background"),
    h(
      "ul",
      { "aria-labelledby": "legend-title" },
      ...legendRows().map(({ colour, label }) => {
        const swatch = h("span", { className: "swatch", "aria-hidden": "true" });
        swatch.style.backgroundColor = colour;
        return h("li", {}, swatch, label);
      }),
    ),
    h("p", {}, "Larger circles mark higher severity (low, medium, high)."),
    h(
      "p",
      {},
      "Once you pick a point: factory marks are the power plants near it (the ones the " +
        "explanation cites are larger and named), white squares the nearest large cities, " +
        "and the arrow shows where the wind was blowing.",
    ),
  );
}

function main() {
  fillLegend(byId("legend"));
  if (!window.L) {
    fill(
      byId("map"),
      errorMessage("The map library is missing: run `make setup` to install the web assets.", () =>
        window.location.reload(),
      ),
    );
    return;
  }
  new Explorer(window.L).start();
}

main();
