// Goal forms: show only the target the chosen kind takes, and make that one required.
// Without this script both targets show, each with a hint saying which kind it is for.

function showTargetOf(form) {
  const kind = form.querySelector("select[name=kind]");
  if (!kind) {
    return;
  }
  for (const box of form.querySelectorAll("[data-goal-target]")) {
    const relevant = box.dataset.goalTarget === kind.value;
    box.hidden = !relevant;
    for (const input of box.querySelectorAll("input")) {
      input.required = relevant;
      input.disabled = !relevant;
    }
  }
}

for (const form of document.querySelectorAll("form[data-goal-form]")) {
  showTargetOf(form);
  form.querySelector("select[name=kind]")?.addEventListener("change", () => showTargetOf(form));
}
