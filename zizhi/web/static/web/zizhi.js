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
