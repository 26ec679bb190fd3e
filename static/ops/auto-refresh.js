/* A page with [data-auto-refresh="<seconds>"] reloads itself on that period (the low-stock panel follows the
   5-minute stock check). Its button pauses and resumes the reloads: a timed change the reader can stop
   (WCAG 2.2.1), which a <meta http-equiv="refresh"> is not. */
(function () {
  "use strict";
  var box = document.querySelector("[data-auto-refresh]");
  if (!box) return;
  var seconds = parseInt(box.getAttribute("data-auto-refresh"), 10);
  var button = box.querySelector("[data-auto-refresh-toggle]");
  var status = box.querySelector("[data-auto-refresh-status]");
  var timer = 0;

  function start() {
    timer = setTimeout(function () { window.location.reload(); }, seconds * 1000);
    status.textContent = "Reloads every " + Math.round(seconds / 60) + " minutes.";
    button.textContent = "Pause";
  }

  function pause() {
    clearTimeout(timer);
    timer = 0;
    status.textContent = "Auto-reload paused.";
    button.textContent = "Resume";
  }

  button.hidden = false;
  button.addEventListener("click", function () { if (timer) pause(); else start(); });
  start();
}());
