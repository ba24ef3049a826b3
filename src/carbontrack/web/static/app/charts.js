// Dashboard charts: the trend (day over 30 or 92 days / week / month) and the breakdown by category.
//
// The page works without this module: the server renders the figures as tables and the trend
// switch as links that reload the page. Here, Chart.js (a classic script loaded before this
// module from /static/vendor/chart.js/) draws the same numbers from the page's
// <script type="application/json" id="dashboard-data"> block, and the switch redraws in place.
// No inline script or style is needed, so the page keeps its strict Content-Security-Policy.

const KG = "kg CO2e";
const BAR = "#2f7d59";
const BUDGET = "#b3541e";
const PALETTE = ["#2f7d59", "#1f6fb2", "#b3541e", "#7a4fb5", "#a07a00", "#1b8a8f", "#c2417a", "#5b6770"];

const data = readData();
const Chart = globalThis.Chart;
if (data && Chart) {
  for (const box of document.querySelectorAll("[data-chart]")) box.hidden = false;
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 1,
  });
  const trend = drawTrend(Chart, data.trend, number);
  drawCategories(Chart, data.categories, number);
  if (trend) wireSwitch(trend, data.trend);
}

function readData() {
  const block = document.getElementById("dashboard-data");
  return block ? JSON.parse(block.textContent) : null;
}

// Animations only for people who have not asked their system for less motion.
function motion() {
  return globalThis.matchMedia("(prefers-reduced-motion: reduce)").matches
    ? false
    : { duration: 400 };
}

function textColour(canvas) {
  return getComputedStyle(canvas).color;
}

function tooltipLabel(number) {
  return (item) => {
    const value = item.chart.options.indexAxis === "y" ? item.parsed.x : item.parsed.y;
    return `${item.dataset.label}: ${number.format(value)} ${KG}`;
  };
}

function drawTrend(Chart, trend, number) {
  const canvas = document.getElementById("trend-chart");
  if (!canvas) return null;
  const series = trend.series[trend.selected];
  const colour = textColour(canvas);
  return new Chart(canvas, {
    data: {
      labels: series.labels,
      datasets: [
        { type: "bar", label: trend.userLabel, data: series.kg, backgroundColor: BAR, order: 2 },
        {
          type: "line",
          label: trend.budgetLabel,
          data: series.budgetKg,
          borderColor: BUDGET,
          backgroundColor: BUDGET,
          borderDash: [6, 4],
          pointRadius: 0,
          pointHitRadius: 8,
          fill: false,
          order: 1,
        },
      ],
    },
    options: {
      animation: motion(),
      maintainAspectRatio: false,
      color: colour,
      scales: {
        x: { ticks: { color: colour, maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, ticks: { color: colour }, title: { display: true, text: KG, color: colour } },
      },
      plugins: { tooltip: { callbacks: { label: tooltipLabel(number) } } },
    },
  });
}

function drawCategories(Chart, categories, number) {
  const canvas = document.getElementById("category-chart");
  if (!canvas) return;
  const colour = textColour(canvas);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: categories.labels,
      datasets: [
        {
          label: categories.label,
          data: categories.kg,
          backgroundColor: categories.labels.map((_, index) => PALETTE[index % PALETTE.length]),
        },
      ],
    },
    options: {
      indexAxis: "y",
      animation: motion(),
      maintainAspectRatio: false,
      color: colour,
      scales: {
        x: { beginAtZero: true, ticks: { color: colour }, title: { display: true, text: KG, color: colour } },
        y: { ticks: { color: colour } },
      },
      // The category names sit on the axis, so colour is never the only way to tell bars apart.
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: tooltipLabel(number) } } },
    },
  });
}

// The switch's links reload the page with ?trend=<period>; here they redraw in place instead,
// show the matching table, and keep the choice in the address so a reload shows the same view.
function wireSwitch(chart, trend) {
  const links = document.querySelectorAll("[data-trend]");
  const status = document.getElementById("trend-status");
  const canvas = chart.canvas;
  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const period = link.dataset.trend;
      const series = trend.series[period];
      chart.data.labels = series.labels;
      chart.data.datasets[0].data = series.kg;
      chart.data.datasets[1].data = series.budgetKg;
      chart.options.animation = motion();
      chart.update();
      for (const other of links) {
        if (other === link) other.setAttribute("aria-current", "true");
        else other.removeAttribute("aria-current");
      }
      for (const table of document.querySelectorAll("[data-trend-table]")) {
        table.hidden = table.dataset.trendTable !== period;
      }
      for (const days of document.querySelectorAll("[data-days-switch]")) days.hidden = period !== "day";
      canvas.setAttribute("aria-label", series.summary);
      if (status) status.textContent = series.summary;
      history.replaceState(null, "", link.href);
    });
  }
}
