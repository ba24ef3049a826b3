// The time-zone field (macros.html time_zone_select): a filter box that narrows the grouped
// <select> as one types (native option search is poor on phones), and, on a fresh sign-up form
// (data-detect-zone), the browser's own zone preselected. Without JavaScript the form keeps
// the whole list and the server's default; the server validates either way.

const words = (text) => text.toLowerCase().replace(/[_/]/g, " ");

function detectZone(select) {
  const aliases = JSON.parse(document.getElementById("zone-aliases")?.textContent || "{}");
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zone = aliases[browser] || browser; // an old name (Asia/Calcutta) -> the listed one
  if (zone && Array.from(select.options).some((option) => option.value === zone)) {
    select.value = zone;
  }
}

function groupOf(label, options) {
  const group = document.createElement("optgroup");
  group.label = label;
  group.append(...options);
  return group;
}

function makeFilter(input, select) {
  // Keep every group; rebuild the list from it, since hidden options still show on some phones.
  const groups = Array.from(select.querySelectorAll("optgroup"), (group) => ({
    label: group.label,
    options: Array.from(group.querySelectorAll("option")),
  }));
  const status = document.getElementById(`${input.id}-status`);
  input.addEventListener("input", () => {
    const wanted = words(input.value.trim());
    const chosen = select.value;
    const kept = groups.map(({ label, options }) =>
      groupOf(label, options.filter((o) => !wanted || words(`${label} ${o.text}`).includes(wanted))),
    );
    const found = kept.filter((group) => group.children.length > 0);
    const matches = found.reduce((sum, group) => sum + group.children.length, 0);
    // No match shows the whole list again: an empty <select> would send no zone at all.
    const all = () => groups.map(({ label, options }) => groupOf(label, options));
    select.replaceChildren(...(matches > 0 ? found : all()));
    if (Array.from(select.options).some((o) => o.value === chosen)) {
      select.value = chosen;
    } else {
      select.selectedIndex = 0; // the first match, so the field never keeps a zone it hides
    }
    if (status) {
      status.textContent = matches > 0
        ? `${matches} time zone${matches === 1 ? "" : "s"} match.`
        : "No time zone matches; showing them all.";
    }
  });
}

for (const select of document.querySelectorAll("select[data-detect-zone]")) {
  detectZone(select);
}
for (const input of document.querySelectorAll("input[data-zone-filter]")) {
  const select = document.getElementById(input.dataset.zoneFilter);
  if (select) {
    makeFilter(input, select);
    input.closest(".zone-filter").hidden = false;
  }
}
