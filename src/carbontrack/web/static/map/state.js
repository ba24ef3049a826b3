// The view lives in the URL (?date=YYYY-MM-DD&point=<id>), so a link shares it and a reload or
// the back button restores it.

import { dayKey, parseDay } from "./format.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The date and point the address bar asks for; either may be null. */
export function readState() {
  const params = new URLSearchParams(window.location.search);
  const asked = params.get("date");
  // A day of the calendar only: 2018-02-30 would otherwise read as 2 March.
  const date = asked && DAY.test(asked) && dayKey(parseDay(asked)) === asked ? asked : null;
  return { date, point: date ? params.get("point") || null : null };
}

/** Record a view as a new history entry (unless it is already the current one). */
export function writeState({ date, point }) {
  const params = new URLSearchParams();
  if (date) params.set("date", date);
  if (date && point) params.set("point", point);
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.pushState(null, "", url);
  }
}
