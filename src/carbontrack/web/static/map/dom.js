// Small helpers for building the page from data. Text always goes in as text, never as HTML,
// so nothing the API returns can inject markup.

/** Create an element: h("p", {className: "x", "aria-label": "y"}, "text", child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** Replace everything inside `element` with `children`. */
export function fill(element, ...children) {
  element.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** A message with a retry button, for any part of the page whose request failed. */
export function errorMessage(text, onRetry) {
  const retry = h("button", { type: "button", className: "retry" }, "Try again");
  retry.addEventListener("click", onRetry);
  return h("div", { className: "error", role: "alert" }, h("p", {}, text), retry);
}

/** A "loading" line that screen readers announce. */
export function loadingMessage(text) {
  return h("p", { className: "loading", role: "status" }, text);
}
