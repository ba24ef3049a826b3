// What the explanation of the selected point cites, drawn on the map: its power plants, the
// nearest cities and the wind. One layer, cleared when another point (or day) is selected.
// Every mark is an image with a name a screen reader says ("Huaneng Qinbei: coal power
// plant, 68 km W of the point"); the marks take no clicks, so the points stay pickable.

import { compass, number } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const FIT_CITY_KM = 300; // a city farther than this is drawn but does not widen the view
const FIT_MAX_ZOOM = 9;

/** An SVG element with attributes (never an inline style: the page's CSP forbids them). */
function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A named image of the map, anchored at its point by the CSS of `className`. */
function mark(L, latLng, { className, name, glyph, label }) {
  const root = document.createElement("div");
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", name);
  root.title = name;
  glyph.setAttribute("aria-hidden", "true");
  root.append(glyph);
  if (label) {
    const text = document.createElement("span");
    text.className = "map-label";
    text.textContent = label;
    root.append(text);
  }
  const icon = L.divIcon({ html: root, className: `selection-mark ${className}`, iconSize: null });
  return L.marker(latLng, { icon, interactive: false, keyboard: false });
}

function plantName(fact, cited) {
  const fuel = String(fact.fuel || "fossil").toLowerCase();
  const where = `${number(fact.distanceKm, 0)} km ${fact.direction} of the point`;
  return `${fact.name}: ${fuel} power plant, ${where}${cited ? ", cited in the explanation" : ""}`;
}

function plantMark(L, fact, cited) {
  const fuel = String(fact.fuel || "").toLowerCase();
  // A chimney and a roof: a factory, unlike the round anomaly points.
  const glyph = svg(
    "svg",
    { viewBox: "0 0 20 20", width: "20", height: "20", class: `fuel-${fuel}` },
    svg("path", { d: "M2 18V9l5 3V9l5 3V3h4v15z" }),
  );
  return mark(L, [fact.lat, fact.lon], {
    className: `plant-mark${cited ? " cited" : ""}`,
    name: plantName(fact, cited),
    glyph,
    label: cited ? fact.name : null,
  });
}

function cityMark(L, fact) {
  const glyph = svg(
    "svg",
    { viewBox: "0 0 14 14", width: "14", height: "14" },
    svg("rect", { x: "2", y: "2", width: "10", height: "10" }),
  );
  const population = new Intl.NumberFormat("en-GB").format(fact.population);
  const where = `${number(fact.distanceKm, 0)} km ${fact.direction} of the point`;
  return mark(L, [fact.lat, fact.lon], {
    className: "city-mark",
    name: `${fact.name}: city of ${population} people, ${where}`,
    glyph,
    label: null, // the city labels (labels.js) name it once the map is zoomed in
  });
}

/** An arrow from the point towards where the wind blows (its "from" direction + 180°). */
function windMark(L, latLng, fact) {
  const towards = (fact.fromDeg + 180) % 360;
  const glyph = svg(
    "svg",
    { viewBox: "0 0 80 80", width: "80", height: "80" },
    svg(
      "g",
      { transform: `rotate(${towards} 40 40)` },
      svg("line", { x1: "40", y1: "40", x2: "40", y2: "9" }),
      svg("path", { d: "M40 2 L48 16 L40 12 L32 16 Z" }),
    ),
  );
  const from = fact.fromDirection || compass(fact.fromDeg);
  return mark(L, latLng, {
    className: "wind-mark",
    name:
      `Wind ${number(fact.speedMps)} m/s from the ${from} (${fact.fromDeg}°), ` +
      `blowing towards the ${compass(towards)}`,
    glyph,
    label: null,
  });
}

// Leaflet drops a new view asked for while a zoom animates (a point picked while the day's view
// is still zooming in), so a fit asked for meanwhile waits for that zoom's end; the latest wins.
const zooming = new WeakSet();
const pendingFit = new WeakMap();

/** Follow `map`'s zooms, so that `fitWhenIdle` knows when one is under way. */
export function trackZooms(map) {
  map.on("zoomstart", () => zooming.add(map));
  map.on("zoomend", () => {
    zooming.delete(map);
    const next = pendingFit.get(map);
    pendingFit.delete(map);
    if (next) map.fitBounds(...next);
  });
}

/** Fit `map` to `bounds` now, or when the zoom under way ends. */
export function fitWhenIdle(map, bounds, options) {
  if (zooming.has(map)) pendingFit.set(map, [bounds, options]);
  else map.fitBounds(bounds, options);
}

export class Selection {
  constructor(L, map) {
    this.L = L;
    this.map = map;
    this.layer = L.layerGroup().addTo(map);
  }

  clear() {
    this.layer.clearLayers();
  }

  /** Draw the facts of the point at `latLng`; the view widens to show the point and its plants. */
  show(latLng, facts, citedIds) {
    this.clear();
    const cited = new Set(citedIds);
    const within = [latLng];
    for (const fact of facts) {
      if (typeof fact.lat !== "number" || typeof fact.lon !== "number") continue;
      if (fact.kind === "power_plant") {
        plantMark(this.L, fact, cited.has(fact.id)).addTo(this.layer);
        within.push([fact.lat, fact.lon]);
      } else if (fact.kind === "city") {
        cityMark(this.L, fact).addTo(this.layer);
        if (fact.distanceKm <= FIT_CITY_KM) within.push([fact.lat, fact.lon]);
      }
    }
    const wind = facts.find((fact) => fact.kind === "wind");
    if (wind && wind.known && !wind.calm && typeof wind.fromDeg === "number") {
      windMark(this.L, latLng, wind).addTo(this.layer);
    }
    if (within.length > 1) {
      const bounds = this.L.latLngBounds(within).pad(0.15);
      fitWhenIdle(this.map, bounds, { maxZoom: FIT_MAX_ZOOM });
    }
  }
}
