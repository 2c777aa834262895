/* Tandem's few page behaviours, kept out of the templates so that the Content-Security-Policy
   can forbid inline scripts: mark an element with a data attribute instead of onclick/onfocus.
     data-select-on-focus  selects a field's text when it gets focus (copyable addresses)
     data-print            prints the page when clicked */
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
