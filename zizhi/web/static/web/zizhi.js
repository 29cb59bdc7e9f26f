// Small helpers: show a progress bar while htmx works; confirm dangerous buttons.
document.addEventListener("htmx:beforeRequest", function () {
  document.body.classList.add("is-busy");
});
document.addEventListener("htmx:afterRequest", function () {
  document.body.classList.remove("is-busy");
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (form.dataset.busy !== undefined) {
    document.body.classList.add("is-busy");
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  }
});
// No inline handlers (the Content-Security-Policy forbids them): buttons marked data-print
// print the page; selects marked data-autosubmit send their form when changed.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
});
