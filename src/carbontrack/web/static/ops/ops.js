// /ops: Refresh without a reload. POST /api/inventory/refresh with the session cookie and the
// page's CSRF token, then poll /api/inventory/metadata until the run ends, showing its progress,
// its outcome and the new last-update time. Without JavaScript the form posts to /ops/refresh.

const POLL_MS = 1000;
const byId = (id) => document.getElementById(id);
const csrf = document.querySelector('meta[name="csrf-token"]').content;

/** "2026-12-07T01:02:03.123456Z" -> "2026-12-07 01:02:03 UTC", as the page renders times. */
function formatTime(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function timeElement(iso) {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = formatTime(iso);
  return element;
}

function show(text, { done = 0, total = 0, busy = false } = {}) {
  const progress = byId("refresh-progress");
  progress.hidden = false;
  progress.max = Math.max(total, 1);
  if (busy && total === 0) progress.removeAttribute("value");
  else progress.value = done;
  byId("refresh-text").replaceChildren(...[text].flat());
  byId("refresh-button").setAttribute("aria-busy", String(busy));
  byId("refresh-button").disabled = busy;
}

function describe(run) {
  const of = run.service ? ` of ${run.service}` : "";
  if (run.state === "running") {
    const total = run.total || "?";
    return [`Refreshing${run.service ? ` ${run.service}` : ""}: ${run.done} of ${total} scopes.`];
  }
  const failed = run.failed ? `; ${run.failed} scopes failed` : "";
  const verb = run.state === "ok" ? "finished" : "failed";
  const reload = document.createElement("a");
  reload.href = "/ops";
  reload.textContent = "Show the new findings and inventory";
  return [`The last refresh${of} ${verb} at `, timeElement(run.finishedAt), `${failed}. `, reload];
}

async function metadata() {
  const response = await fetch("/api/inventory/metadata", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  return response.json();
}

async function follow() {
  for (;;) {
    const meta = await metadata();
    const run = meta.refresh;
    if (meta.lastUpdate) byId("last-update").replaceChildren(timeElement(meta.lastUpdate));
    if (!run) return;
    const running = run.state === "running";
    show(describe(run), { done: run.done, total: run.total, busy: running });
    if (!running) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function refresh(event) {
  event.preventDefault();
  show("Starting the refresh…", { busy: true });
  const service = byId("refresh-service").value;
  const response = await fetch("/api/inventory/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
    body: JSON.stringify({ service: service || null }),
  });
  if (response.status !== 202 && response.status !== 409) {
    const body = await response.json().catch(() => null);
    const detail = body && typeof body.detail === "string" ? body.detail : `The server answered ${response.status}.`;
    show(`Not started: ${detail}`);
    return;
  }
  await follow(); // a 409 follows the refresh already running
}

function failed(error) {
  show(`The refresh could not be followed: ${error.message}`);
}

document.querySelector(".ops-refresh-form").addEventListener("submit", (event) => {
  refresh(event).catch(failed);
});
if (byId("ops-refresh").dataset.running === "true") follow().catch(failed);
