// Preselect the browser's own time zone in a <select data-detect-zone> (a fresh sign-up form),
// when the server offers that zone. Without JavaScript the form keeps the server's default.
const select = document.querySelector("select[data-detect-zone]");
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (select && zone && Array.from(select.options).some((option) => option.value === zone)) {
  select.value = zone;
}
