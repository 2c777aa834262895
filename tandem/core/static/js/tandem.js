/* Tandem's few page behaviours, kept out of the templates so that the Content-Security-Policy
   can forbid inline scripts: mark an element with a data attribute instead of onclick/onfocus.
     data-select-on-focus  selects a field's text when it gets focus (copyable addresses)
     data-print            prints the page when clicked
     data-filter-for="ID"  a search box that hides the options of the checkbox list #ID whose
                           label does not contain what is typed (checked ones stay) */
"use strict";
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.matches("[data-select-on-focus]")) {
    field.select();
  }
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches("[data-filter-for]")) return;
  const list = document.getElementById(box.dataset.filterFor || "");
  if (!list) return;
  const query = box.value.trim().toLocaleLowerCase();
  for (const label of list.querySelectorAll("label")) {
    const input = label.querySelector("input");
    const match = !query || label.textContent.toLocaleLowerCase().includes(query);
    const option = label.parentElement === list ? label : label.parentElement;
    option.hidden = !match && !(input && input.checked);
  }
});
