// The side panel (a bottom sheet on a phone): the selected point's verdict in one line from
// POST /api/reasoning (loading, error with retry), who wrote it, then the numbers, the full
// explanation, its facts and a glossary folded below, and where the data comes from.

import { errorMessage, fill, h, loadingMessage } from "./dom.js";
import { factSentence, kindTitle } from "./facts.js";
import * as format from "./format.js";
import { colourOf } from "./scale.js";

const BASE_MAP_CREDIT =
  "Base map and city names: Natural Earth 1:110m countries and populated places (public domain).";

const GLOSSARY = [
  [
    "ppm",
    "Parts per million: of every million molecules of air, how many are CO2. The air held " +
      "about 410 ppm in 2018-2020, so a few ppm more is a small but measurable change.",
  ],
  [
    "XCO2",
    "The average CO2 of the whole column of air from the ground to space, as the satellite " +
      "measures it, in ppm.",
  ],
  [
    "Background",
    "The usual CO2 level of the air around the point that day; the deviation is how far the " +
      "point is above or below it.",
  ],
  [
    "z-score",
    "How unusual the deviation is: the deviation divided by the typical spread of " +
      "deviations. Above 2 is unusual, above 3 rare.",
  ],
];

export class Panel {
  /** `elements`: {root, title, content}. */
  constructor(elements) {
    this.elements = elements;
    this.explanation = null;
  }

  /** Nothing selected yet: say what to do. */
  showHint(text) {
    this.elements.title.textContent = "Selected point";
    this.explanation = null;
    fill(this.elements.content, h("p", { className: "hint" }, text));
  }

  /** A point could not be shown (unknown id, failed day): say so. */
  showProblem(text) {
    this.elements.title.textContent = "Selected point";
    this.explanation = null;
    fill(this.elements.content, h("div", { className: "error", role: "alert" }, h("p", {}, text)));
  }

  /** The point of `feature` on `day`: a verdict line (loading at first), the rest folded. */
  showPoint(feature, day) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    this.elements.title.textContent = `Anomaly on ${format.longDate(day)}`;
    this.verdict = h("div", { className: "verdict-area", "aria-live": "polite" });
    this.provenance = h("div", { className: "provenance-area" });
    this.explanation = h("div", { className: "explanation" });
    fill(
      this.elements.content,
      this.verdict,
      h("p", { className: "summary" }, summary(p)),
      this.provenance,
      h(
        "details",
        { className: "more" },
        h("summary", {}, "Numbers and facts"),
        numbers(p, lat, lon),
        h("h3", {}, "The explanation in full"),
        this.explanation,
      ),
      h(
        "details",
        { className: "glossary" },
        h("summary", {}, "What the words mean"),
        h(
          "dl",
          {},
          ...GLOSSARY.flatMap(([term, meaning]) => [h("dt", {}, term), h("dd", {}, meaning)]),
        ),
      ),
      attribution(p),
      h("p", { className: "share" }, h("a", { href: window.location.href }, "Link to this view")),
    );
    this.showLoading();
  }

  showLoading() {
    this.verdict.setAttribute("aria-busy", "true");
    fill(this.verdict, loadingMessage("Looking up the facts near this point…"));
    fill(this.provenance);
    fill(this.explanation, h("p", {}, "Not yet known."));
  }

  /** The answer of POST /api/reasoning: its verdict first, the full text and facts folded. */
  showExplanation(result) {
    this.verdict.setAttribute("aria-busy", "false");
    fill(this.verdict, h("p", { className: "verdict" }, verdictOf(result)));
    fill(this.provenance, provenance(result));
    fill(
      this.explanation,
      h("p", { className: "reasoning" }, result.reasoning),
      h("h3", {}, "Facts"),
      factList(result.facts || [], new Set(result.citedFactIds || [])),
    );
  }

  showExplanationError(message, onRetry) {
    this.verdict.setAttribute("aria-busy", "false");
    fill(this.verdict, errorMessage(`No explanation: ${message}`, onRetry));
  }
}

/** The answer's one-line verdict; an answer without one gives its first sentence. */
function verdictOf(result) {
  if (typeof result.verdict === "string" && result.verdict.trim()) return result.verdict;
  const text = String(result.reasoning || "").trim();
  // A sentence ends at ". " followed by a capital, so "0.5 ppm" or "St. Louis" do not end it.
  const end = text.search(/[.!?](?=\s+[A-Z])/);
  return end === -1 ? text : text.slice(0, end + 1);
}

/** "2.7 ppm more CO2 than the background around it (a medium anomaly)." */
function summary(p) {
  const size = format.number(Math.abs(p.deviationPpm));
  const more = p.deviationPpm >= 0 ? "more" : "less";
  return `${size} ppm ${more} CO2 than the background around it (a ${p.severity} anomaly).`;
}

function numbers(p, lat, lon) {
  const swatch = h("span", { className: "swatch", "aria-hidden": "true" });
  swatch.style.backgroundColor = colourOf(p.deviationPpm);
  const rows = [
    ["Place", format.latLon(lat, lon)],
    ["XCO2", p.xco2 === null ? "not recorded for this point" : `${format.number(p.xco2)} ppm`],
    ["Deviation", [swatch, format.signedPpm(p.deviationPpm)]],
    ["z-score", format.number(p.zscore)],
    ["Severity", h("span", { className: `severity severity-${p.severity}` }, p.severity)],
    ["Wind", format.wind(p.wind)],
  ];
  return h(
    "dl",
    { className: "numbers" },
    ...rows.flatMap(([term, value]) => [
      h("dt", {}, term),
      h("dd", {}, ...(Array.isArray(value) ? value : [value])),
    ]),
  );
}

function provenance(result) {
  const by =
    result.provider === "rules"
      ? "Written from the facts below by CarbonTrack's rules — no AI."
      : `Written by ${result.model || result.provider}, checked against the facts below.`;
  const saved = result.cached ? ` Saved ${format.dateTime(result.cachedAt)}.` : "";
  const line = h("p", { className: "provenance" }, `${by}${saved}`);
  if (!result.fallback) return line;
  const detail = result.fallback.detail ? ` ${result.fallback.detail}` : "";
  const asked = result.fallback.from || "the configured provider";
  return h(
    "div",
    {},
    line,
    h(
      "p",
      { className: "fallback" },
      `The answer of ${asked} could not be used, so this text is composed from the facts ` +
        `alone.${detail}`,
    ),
  );
}

function factList(facts, cited) {
  if (!facts.length) return h("p", {}, "No facts were found for this point.");
  return h(
    "ul",
    { className: "facts" },
    ...facts.map((fact) =>
      h(
        "li",
        {
          dataset: { factId: fact.id, kind: fact.kind },
          className: cited.has(fact.id) ? "cited" : null,
        },
        h("span", { className: "fact-kind" }, `${kindTitle(fact.kind)}: `),
        factSentence(fact),
        " ",
        h("code", { className: "fact-id", title: "the id an explanation cites" }, fact.id),
        cited.has(fact.id) ? h("span", { className: "fact-cited" }, " cited above") : null,
        fact.source ? h("span", { className: "fact-source" }, `Source: ${fact.source}`) : null,
      ),
    ),
  );
}

function attribution(p) {
  return h(
    "div",
    { className: "attribution" },
    h("h3", {}, "Data"),
    h("p", {}, p.source ? `Source: ${p.source}.` : "Source not recorded."),
    p.citation ? h("p", { className: "citation" }, p.citation) : null,
    h("p", {}, BASE_MAP_CREDIT),
  );
}
