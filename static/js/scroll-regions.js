/* The admin sites and the ops pages: a region that scrolls sideways on a narrow screen (a .table-wrap, an
   inline table, a wide change list) gets a tab stop, so it can be scrolled from the keyboard too (WCAG 2.1.1);
   it loses the stop when the screen is wide enough again. */
(function () {
  "use strict";
  var SCROLLABLE = ".table-wrap, .inline-group, .results";

  function markScrollableRegions() {
    document.querySelectorAll(SCROLLABLE).forEach(function (region) {
      if (region.scrollWidth > region.clientWidth) {
        region.tabIndex = 0;
        region.dataset.scrollStop = "true";
      } else if (region.dataset.scrollStop) {
        region.removeAttribute("tabindex");
        delete region.dataset.scrollStop;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", markScrollableRegions);
  window.addEventListener("resize", markScrollableRegions);
}());
