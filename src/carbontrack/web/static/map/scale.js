// The diverging colour scale for a point's deviation from the background, in ppm.
//
// Seven classes, symmetric around zero: the middle one (within +/-1 ppm, under 1.4 times the
// 0.74 ppm noise of record, docs/co2-explorer.md) is not told apart from the background.
// Colours: ColorBrewer RdBu, 7 classes (Brewer & Harrower), reversed so that more CO2 is red;
// the palette stays readable for the common red-green colour-vision deficiencies.

const BREAKS_PPM = [-6, -3, -1, 1, 3, 6];
const COLOURS = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];
const LABELS = [
  "below −6 ppm",
  "−6 to −3 ppm",
  "−3 to −1 ppm",
  "−1 to +1 ppm (near the background)",
  "+1 to +3 ppm",
  "+3 to +6 ppm",
  "above +6 ppm",
];

/** The class (0-6) of a deviation; the edges of the middle class belong to it. */
export function classOf(deviationPpm) {
  if (deviationPpm < 0) {
    const index = BREAKS_PPM.findIndex((edge) => deviationPpm < edge);
    return index === -1 ? 3 : index;
  }
  const above = BREAKS_PPM.filter((edge) => deviationPpm > edge).length;
  return Math.max(3, above);
}

/** The fill colour of a deviation in ppm. */
export function colourOf(deviationPpm) {
  return COLOURS[classOf(deviationPpm)];
}

/** Legend rows from the most positive class down: {colour, label}. */
export function legendRows() {
  return COLOURS.map((colour, index) => ({ colour, label: LABELS[index] })).reverse();
}

/** Marker radius in pixels by severity, the second cue beside colour. */
export const RADIUS_BY_SEVERITY = { low: 6, medium: 8, high: 10 };
