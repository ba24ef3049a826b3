// A month calendar whose days with anomalies are buttons (with their count); the others are
// plain numbers. Keyboard: Tab reaches one day, the arrow keys move between days with data,
// Home/End go to the month's first/last, Page Up/Down change month; Enter or Space picks.

import { fill, h } from "./dom.js";
import { dayKey, longDate, monthTitle, parseDay } from "./format.js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export class Calendar {
  /** `elements`: {title, days, previous, next, previousData, nextData, weekdays}. */
  constructor(elements, onPick) {
    this.elements = elements;
    this.onPick = onPick;
    this.counts = new Map();
    this.months = [];
    this.selected = null;
    this.shown = null;
    fill(
      elements.weekdays,
      ...WEEKDAYS.map((name) =>
        h("th", { scope: "col" }, h("abbr", { title: name }, name.slice(0, 2))),
      ),
    );
    elements.previous.addEventListener("click", () => this.step(-1));
    elements.next.addEventListener("click", () => this.step(1));
    elements.previousData.addEventListener("click", () => this.jumpToData(-1));
    elements.nextData.addEventListener("click", () => this.jumpToData(1));
    elements.days.addEventListener("click", (event) => this.clicked(event));
    elements.days.addEventListener("keydown", (event) => this.keyed(event));
  }

  /** Take the days with data ("YYYY-MM-DD" -> count). */
  setCounts(counts) {
    this.counts = counts;
    this.months = [...new Set([...counts.keys()].map((day) => day.slice(0, 7)))].sort();
  }

  /** The latest day with data, or null. */
  lastDay() {
    const days = [...this.counts.keys()].sort();
    return days.length ? days[days.length - 1] : null;
  }

  /** Mark `day` as picked and show its month. */
  select(day) {
    this.selected = day;
    this.show(day.slice(0, 7));
  }

  /** Show a month, "YYYY-MM". */
  show(month) {
    // Redrawing replaces the day buttons: keep keyboard focus on the same day, if it shows.
    const focused = this.elements.days.contains(document.activeElement)
      ? document.activeElement.dataset.date
      : null;
    this.shown = month;
    const [year, monthIndex] = [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1];
    this.elements.title.textContent = monthTitle(year, monthIndex);
    const first = new Date(Date.UTC(year, monthIndex, 1));
    const length = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
    const cells = Array.from({ length: (first.getUTCDay() + 6) % 7 }, () => h("td"));
    for (let date = 1; date <= length; date += 1) {
      cells.push(h("td", {}, this.dayCell(dayKey(new Date(Date.UTC(year, monthIndex, date))))));
    }
    const rows = [];
    for (let start = 0; start < cells.length; start += 7) {
      rows.push(h("tr", {}, ...cells.slice(start, start + 7)));
    }
    fill(this.elements.days, ...rows);
    this.setTabStop();
    this.updateNavigation();
    if (focused) {
      const same = this.buttons().find((button) => button.dataset.date === focused);
      (same || this.buttons().find((button) => button.tabIndex === 0))?.focus();
    }
  }

  dayCell(day) {
    const number = String(Number(day.slice(8)));
    const count = this.counts.get(day);
    if (!count) return h("span", { className: "day" }, number);
    const noun = count === 1 ? "anomaly" : "anomalies";
    // The name comes from the content, so it holds the visible "25" and "27" in reading order:
    // "25 August 2018, 27 anomalies" (an aria-label would hide what a voice user sees and says).
    const monthAndYear = longDate(day).slice(number.length);
    return h(
      "button",
      {
        type: "button",
        className: "day has-data",
        dataset: { date: day },
        "aria-pressed": day === this.selected ? "true" : "false",
        tabindex: "-1",
      },
      h("span", { className: "day-number" }, number),
      h("span", { className: "visually-hidden" }, `${monthAndYear}, `),
      h("span", { className: "day-count" }, String(count)),
      h("span", { className: "visually-hidden" }, ` ${noun}`),
    );
  }

  buttons() {
    return [...this.elements.days.querySelectorAll("button[data-date]")];
  }

  setTabStop() {
    const buttons = this.buttons();
    const stop = buttons.find((button) => button.dataset.date === this.selected) || buttons[0];
    if (stop) stop.tabIndex = 0;
  }

  updateNavigation() {
    const { previous, next, previousData, nextData } = this.elements;
    const first = this.months[0];
    const last = this.months[this.months.length - 1];
    previous.disabled = !first || this.shown <= first;
    next.disabled = !last || this.shown >= last;
    previousData.disabled = !this.months.some((month) => month < this.shown);
    nextData.disabled = !this.months.some((month) => month > this.shown);
  }

  step(months) {
    const date = parseDay(`${this.shown}-01`);
    date.setUTCMonth(date.getUTCMonth() + months);
    this.show(dayKey(date).slice(0, 7));
  }

  jumpToData(direction) {
    const candidates = this.months.filter((month) =>
      direction < 0 ? month < this.shown : month > this.shown,
    );
    if (!candidates.length) return;
    this.show(direction < 0 ? candidates[candidates.length - 1] : candidates[0]);
  }

  clicked(event) {
    const button = event.target.closest("button[data-date]");
    if (button) this.onPick(button.dataset.date);
  }

  keyed(event) {
    const buttons = this.buttons();
    const index = buttons.indexOf(event.target.closest("button[data-date]"));
    if (index === -1) return;
    const target = this.keyTarget(event.key, buttons, index);
    if (target === undefined) return;
    event.preventDefault();
    if (target === null) return;
    if (target.dataset.date) {
      for (const button of this.buttons()) button.tabIndex = button === target ? 0 : -1;
    }
    target.focus();
  }

  /** The button a key moves to; null to stay; undefined when the key is not ours. */
  keyTarget(key, buttons, index) {
    const day = parseDay(buttons[index].dataset.date);
    const weekFrom = (days) => {
      const goal = new Date(day);
      goal.setUTCDate(goal.getUTCDate() + days);
      const goalDay = dayKey(goal);
      const beyond = buttons.filter((button) =>
        days > 0 ? button.dataset.date >= goalDay : button.dataset.date <= goalDay,
      );
      return (days > 0 ? beyond[0] : beyond[beyond.length - 1]) || null;
    };
    switch (key) {
      case "ArrowLeft":
        return buttons[index - 1] || null;
      case "ArrowRight":
        return buttons[index + 1] || null;
      case "ArrowUp":
        return weekFrom(-7);
      case "ArrowDown":
        return weekFrom(7);
      case "Home":
        return buttons[0];
      case "End":
        return buttons[buttons.length - 1];
      case "PageUp":
      case "PageDown": {
        const { previous, next } = this.elements;
        const nav = key === "PageUp" ? previous : next;
        if (nav.disabled) return null;
        this.step(key === "PageUp" ? -1 : 1);
        // A month without data has no day to land on: keep focus on the month control.
        return this.buttons()[0] || nav;
      }
      default:
        return undefined;
    }
  }
}
