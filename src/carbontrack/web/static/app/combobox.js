// An editable combobox with a list of suggestions, following the WAI-ARIA Authoring Practices
// pattern "combobox with listbox popup, list autocomplete": focus stays in the text box, the
// active option is announced through aria-activedescendant, and the keys are
//   Down / Up      open the list, move to the next / previous option
//   Enter          choose the active option (with none active, the search form submits)
//   Escape         close the list; pressed again, clear the text box
//   Tab            close the list and move on
// The page works without it: the text box is a plain search field of a GET form.

const DEBOUNCE_MS = 200;

export class Combobox {
  /**
   * @param {HTMLInputElement} input  the text box
   * @param {HTMLElement} listbox     an empty element for the options (ul)
   * @param {HTMLElement} status      a role="status" element for result counts
   * @param {{search: (text: string, signal: AbortSignal) => Promise<object[]>,
   *          label: (item: object) => Node[], onChoose: (item: object) => void,
   *          minChars?: number, nouns?: [string, string]}} options
   */
  constructor(
    input,
    listbox,
    status,
    { search, label, onChoose, minChars = 2, nouns = ["activity", "activities"] },
  ) {
    this.input = input;
    this.listbox = listbox;
    this.status = status;
    this.search = search;
    this.label = label;
    this.onChoose = onChoose;
    this.minChars = minChars;
    this.nouns = nouns; // what an option is, singular and plural, for the status line
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.pending = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;

    input.addEventListener("input", () => this.scheduleSearch());
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => this.close());
    // mousedown would blur the text box (and close the list) before the click lands.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
  }

  scheduleSearch() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.runSearch(), DEBOUNCE_MS);
  }

  async runSearch() {
    const text = this.input.value.trim();
    this.pending?.abort();
    if (text.length < this.minChars) {
      this.show([]);
      this.status.textContent = "";
      return;
    }
    const controller = new AbortController();
    this.pending = controller;
    let items;
    try {
      items = await this.search(text, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.show([]);
      this.status.textContent = error.message;
      return;
    }
    if (controller.signal.aborted) return;
    this.show(items);
    this.status.textContent = items.length
      ? `${items.length} ${items.length === 1 ? this.nouns[0] : this.nouns[1]} found; use the up and down arrow keys to choose.`
      : `No ${this.nouns[0]} matches “${text}”.`;
  }

  show(items) {
    this.items = items;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(
      ...items.map((item, index) => {
        const option = document.createElement("li");
        option.id = `${this.listbox.id}-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(index);
        option.append(...this.label(item));
        return option;
      }),
    );
    this.setOpen(items.length > 0);
  }

  setOpen(open) {
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
  }

  close() {
    this.setOpen(false);
    this.moveTo(-1);
  }

  moveTo(index) {
    const options = this.listbox.querySelectorAll("[role=option]");
    options.forEach((option, at) => option.setAttribute("aria-selected", String(at === index)));
    this.active = index;
    if (index < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  onKey(event) {
    const count = this.items.length;
    const open = !this.listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      if (!open) this.setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const start = this.active < 0 && step < 0 ? count : this.active;
      this.moveTo((start + step + count) % count);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
        this.show([]);
      }
    } else if (event.key === "Tab") {
      this.close();
    }
  }

  choose(index) {
    const item = this.items[index];
    if (!item) return;
    this.close();
    this.onChoose(item);
  }
}
