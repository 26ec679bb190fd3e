/* Merchant portal threshold form: the webhook URL and secret rows are shown only while the
   "webhook" alert channel is ticked (without JavaScript they simply stay visible). */
(function () {
  "use strict";
  function init() {
    var boxes = document.querySelectorAll('input[name="alert_channels"]');
    var rows = document.querySelectorAll(".field-webhook_url, .field-webhook_secret");
    function sync() {
      var on = Array.prototype.some.call(boxes, function (box) { return box.value === "webhook" && box.checked; });
      Array.prototype.forEach.call(rows, function (row) { row.style.display = on ? "" : "none"; });
    }
    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", sync); });
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
