// gkaudit reviewer UI: the little script the pages use, served from the
// app's own path so that the CSP allows no inline script.
"use strict";

// Buttons with data-confirm ask before their form is sent.
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("[data-confirm]");
  if (b && !window.confirm(b.getAttribute("data-confirm"))) {
    ev.preventDefault();
  }
});

// The runs page polls the runner's progress while a run is going, and
// reloads when it ends so that the list shows the new run.
(function () {
  var box = document.querySelector("[data-poll]");
  if (!box) return;
  var wasRunning = !!box.querySelector("[data-f=progress]");
  function set(name, value) {
    var el = box.querySelector("[data-f=" + name + "]");
    if (!el) return;
    if (name === "progress") { el.max = value[1] || 1; el.value = value[0]; return; }
    el.textContent = value;
  }
  function poll() {
    fetch(box.getAttribute("data-poll"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        if (s.running !== wasRunning) { window.location.reload(); return; }
        if (!s.running) return;
        set("units_done", s.units_done);
        set("units_total", s.units_total);
        set("pages", s.pages);
        set("current", (s.current || []).join("、"));
        set("progress", [s.units_done, s.units_total]);
      })
      .catch(function () {});
  }
  window.setInterval(poll, 3000);
})();
