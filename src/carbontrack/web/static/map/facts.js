// Facts from POST /api/reasoning in words. Each kind has its sentence; a kind this page does
// not know yet still shows, as its fields, so a new kind of fact is never silently dropped.

import { compass, number } from "./format.js";

const COUNT = new Intl.NumberFormat("en-GB");

const KIND_TITLES = {
  power_plant: "Power plant",
  plants_nearby: "Plants nearby",
  no_known_source: "No known source",
  city: "City",
  surface: "Surface",
  season: "Season",
  signal: "Signal",
  surface_co2: "Surface CO2 (NOAA)",
  wind: "Wind",
};

const SENTENCES = {
  power_plant: (f) => {
    const wind = f.upwind === true ? "upwind" : f.upwind === false ? "not upwind" : "wind unknown";
    const emissions =
      typeof f.co2MtPerYr === "number"
        ? `, about ${number(f.co2MtPerYr, f.co2MtPerYr < 1 ? 2 : 1)} Mt CO2 a year`
        : "";
    return (
      `${f.name} (${f.country}), ${f.fuel}, ${COUNT.format(f.capacityMw)} MW${emissions}: ` +
      `${number(f.distanceKm)} km ${f.direction} of the point (${f.bearingDeg}°), ${wind}.`
    );
  },
  plants_nearby: (f) => {
    const fuels = `coal ${f.coal}, gas ${f.gas}, oil ${f.oil}`;
    const upwind = typeof f.upwindCount === "number" ? `; ${f.upwindCount} upwind` : "";
    return `${f.count} fossil power plants within ${number(f.radiusKm, 0)} km (${fuels})${upwind}.`;
  },
  no_known_source: (f) => {
    const nearest = f.nearestPlantName
      ? ` The nearest is ${f.nearestPlantName}, ${number(f.nearestPlantDistanceKm, 0)} km away.`
      : "";
    return `No fossil power plant within ${number(f.radiusKm, 0)} km.${nearest}`;
  },
  city: (f) =>
    `${f.name} (${f.country}, population ${COUNT.format(f.population)}): ` +
    `${number(f.distanceKm)} km ${f.direction} (${f.bearingDeg}°).`,
  surface: (f) =>
    f.surface === "land" && f.country ? `Land, in ${f.country}.` : `${capitalise(f.surface)}.`,
  season: (f) => `${capitalise(f.season)} in the ${f.hemisphere} hemisphere. ${f.note}`,
  signal: (f) => {
    const z = typeof f.zscore === "number" ? `, z-score ${number(f.zscore, 2)}` : "";
    const against = f.background ? ` (background: ${f.background.replaceAll("_", " ")})` : "";
    return (
      `Deviation ${number(f.deviationPpm, 2)} ppm${against} against the ` +
      `${number(f.noisePpm, 2)} ppm noise of one sounding${z}: ${f.level.replaceAll("_", " ")}.`
    );
  },
  surface_co2: (f) => {
    const level = typeof f.ppm === "number" ? `${number(f.ppm, 2)} ppm` : "unknown";
    const series = f.series ? ` (${f.series}${f.period ? `, ${f.period}` : ""})` : "";
    return `Surface CO2 on ${f.date}: ${level}${series}. ${f.note}`;
  },
  wind: (f) => {
    if (!f.known) return "Wind unknown at this point.";
    if (f.calm) return `Calm (${number(f.speedMps)} m/s).`;
    const from = f.fromDirection || compass(f.fromDeg);
    return `${number(f.speedMps)} m/s from the ${from} (${f.fromDeg}°).`;
  },
};

/** The short title of a fact's kind. */
export function kindTitle(kind) {
  return KIND_TITLES[kind] || capitalise(String(kind).replaceAll("_", " "));
}

/** One fact as a sentence. */
export function factSentence(fact) {
  const sentence = SENTENCES[fact.kind];
  if (sentence) {
    try {
      return sentence(fact);
    } catch {
      // A fact missing a field it usually has still shows, as its fields.
    }
  }
  return Object.entries(fact)
    .filter(([key, value]) => key !== "id" && key !== "kind" && value !== null)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`)
    .join(", ");
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}
