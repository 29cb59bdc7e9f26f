// The simple plan of the suggestion form: a tap on a building chooses it in the list, a tap
// anywhere marks the point (plan_x / plan_y, 0-100). The list stays the accessible way.
(function () {
  function setup(form) {
    var svg = form.querySelector("svg[data-plan]");
    if (!svg) return;
    var select = form.querySelector("select[name=building]");
    var px = form.querySelector("input[name=plan_x]");
    var py = form.querySelector("input[name=plan_y]");
    var marker = svg.querySelector(".sg-plan-marker");
    var status = form.querySelector("[data-plan-status]");
    var clear = form.querySelector("[data-plan-clear]");

    function highlight() {
      svg.querySelectorAll("[data-building]").forEach(function (g) {
        g.classList.toggle("is-chosen", select && g.dataset.building === select.value);
      });
    }
    function say(text) { if (status) status.textContent = text; }

    svg.addEventListener("click", function (event) {
      var ctm = svg.getScreenCTM();
      if (!ctm) return;
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var p = point.matrixTransform(ctm.inverse());
      var x = Math.max(0, Math.min(100, p.x)), y = Math.max(0, Math.min(100, p.y));
      px.value = x.toFixed(1);
      py.value = y.toFixed(1);
      marker.setAttribute("cx", x.toFixed(1));
      marker.setAttribute("cy", y.toFixed(1));
      marker.removeAttribute("hidden");
      var building = event.target.closest("[data-building]");
      if (building && select) {
        select.value = building.dataset.building;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        say(svg.dataset.chosen.replace("%s", building.textContent.trim()));
      } else {
        say(svg.dataset.marked);
      }
      highlight();
    });
    if (select) select.addEventListener("change", highlight);
    if (clear) clear.addEventListener("click", function () {
      px.value = "";
      py.value = "";
      marker.setAttribute("hidden", "");
      say(svg.dataset.cleared);
    });
  }

  // Photos: say at once when there are too many or one is too big (the server checks again).
  function checkPhotos(input) {
    var max = parseInt(input.dataset.maxFiles || "3", 10);
    var maxBytes = parseInt(input.dataset.maxBytes || "10485760", 10);
    var problem = "";
    if (input.files.length > max) problem = input.dataset.tooMany;
    for (var i = 0; i < input.files.length && !problem; i++) {
      if (input.files[i].size > maxBytes) problem = input.dataset.tooBig;
      else if (input.files[i].type && !/^image\/(jpeg|png)$/.test(input.files[i].type)) problem = input.dataset.wrongType;
    }
    input.setCustomValidity(problem);
    var note = document.getElementById(input.id + "_problem");
    if (note) { note.textContent = problem; note.hidden = !problem; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.sg-form").forEach(setup);
    document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
      input.addEventListener("change", function () { checkPhotos(input); });
      input.form.addEventListener("submit", function (event) {
        checkPhotos(input);
        if (input.validationMessage) {
          event.preventDefault();
          event.stopImmediatePropagation();
          input.focus();
        }
      }, true);
    });
  });
})();
