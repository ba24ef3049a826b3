// The side panel: the selected point's numbers at once, then its explanation and facts from
// POST /api/reasoning (loading, error with retry), and where the data comes from.

import { errorMessage, fill, h, loadingMessage } from "./dom.js";
import { factSentence, kindTitle } from "./facts.js";
import * as format from "./format.js";
import { colourOf } from "./scale.js";

const BASE_MAP_CREDIT = "Base map: Natural Earth 1:110m countries (public domain).";

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

  /** The numbers of `feature` on `day`; the explanation area starts out loading. */
  showPoint(feature, day) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    this.elements.title.textContent = `Anomaly on ${format.longDate(day)}`;
    this.explanation = h("div", { className: "explanation", "aria-live": "polite" });
    fill(
      this.elements.content,
      numbers(p, lat, lon),
      h("h3", {}, "Why here?"),
      this.explanation,
      attribution(p),
      h("p", { className: "share" }, h("a", { href: window.location.href }, "Link to this view")),
    );
    this.showLoading();
  }

  showLoading() {
    this.explanation.setAttribute("aria-busy", "true");
    fill(this.explanation, loadingMessage("Looking up the facts near this point…"));
  }

  /** The answer of POST /api/reasoning. */
  showExplanation(result) {
    this.explanation.setAttribute("aria-busy", "false");
    fill(
      this.explanation,
      h("p", { className: "reasoning" }, result.reasoning),
      provenance(result),
      h("h3", {}, "Facts"),
      factList(result.facts || [], new Set(result.citedFactIds || [])),
    );
  }

  showExplanationError(message, onRetry) {
    this.explanation.setAttribute("aria-busy", "false");
    fill(this.explanation, errorMessage(`No explanation: ${message}`, onRetry));
  }
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
  const parts = [`Explained by ${result.provider}${result.model ? ` (${result.model})` : ""}`];
  if (result.cached) parts.push(`cached ${format.dateTime(result.cachedAt)}`);
  if (result.expiresAt) parts.push(`valid until ${format.dateTime(result.expiresAt)}`);
  const line = h("p", { className: "provenance" }, `${parts.join(" · ")}.`);
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
