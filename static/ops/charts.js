/* Ops dashboard charts: small SVG line and grouped-bar charts, no dependencies.
 * Each <figure data-chart="ID"> is drawn from <script type="application/json" id="ID"> holding
 * {type: "line"|"bar", format: "number"|"percent"|"seconds", title, labels: [...], series: [{name, values}]}.
 */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLOURS = ["#1f4fd1", "#d1481f", "#1a7f37", "#9a6700", "#8250df", "#57606a", "#bf3989"];
  var W = 720, H = 260, PAD = {l: 56, r: 12, t: 12, b: 40};
  /* A 60-day range has 60 date labels; more than ~8 overlap at phone widths, so the axis thins them. */
  var MAX_X_LABELS = 8;

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fmt(value, format) {
    if (value === null || value === undefined) return "–";
    if (format === "percent") return (value * 100).toFixed(1) + "%";
    if (format === "seconds") return value >= 60 ? (value / 60).toFixed(1) + "m" : value.toFixed(0) + "s";
    return Math.abs(value) >= 1000 ? (value / 1000).toFixed(1) + "k" : String(Math.round(value * 100) / 100);
  }

  /* The y axis steps by 1, 2, 2.5 or 5 times a power of ten (2,847 units: 0, 1k, 2k, 3k), never by a
     quarter of the largest value (0, 711.75, …). */
  function niceStep(rough) {
    var magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    var scaled = rough / magnitude;
    return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 2.5 ? 2.5 : scaled <= 5 ? 5 : 10) * magnitude;
  }

  function draw(figure, spec) {
    var labels = spec.labels || [], series = spec.series || [];
    var values = [].concat.apply([], series.map(function (s) { return s.values; }))
      .filter(function (v) { return v !== null && v !== undefined; });
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, role: "img"});
    svg.appendChild(el("title", {}, spec.title || ""));
    if (!labels.length || !values.length) {
      svg.appendChild(el("text", {x: W / 2, y: H / 2, "text-anchor": "middle"}, "No data in this range"));
      figure.appendChild(svg);
      return;
    }
    var largest = Math.max.apply(null, values.concat([0])) || 1;
    var tick = niceStep(largest / 4), max = tick * Math.ceil(largest / tick);
    var plotW = W - PAD.l - PAD.r, plotH = H - PAD.t - PAD.b;
    var y = function (v) { return PAD.t + plotH - (v / max) * plotH; };
    for (var i = 0; i * tick <= max + tick / 1e6; i++) {
      var v = i * tick;
      svg.appendChild(el("line", {x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), stroke: "#d0d7de"}));
      svg.appendChild(el("text", {x: PAD.l - 6, y: y(v) + 4, "text-anchor": "end", class: "y-label"},
        fmt(v, spec.format)));
    }
    var step = plotW / labels.length;
    var every = Math.ceil(labels.length / MAX_X_LABELS);
    labels.forEach(function (label, i) {
      if (i % every === 0) {
        svg.appendChild(el("text", {x: PAD.l + step * (i + 0.5), y: H - PAD.b + 16, "text-anchor": "middle",
                                    "class": "x-label"}, label));
      }
    });
    series.forEach(function (s, si) {
      var colour = COLOURS[si % COLOURS.length];
      if (spec.type === "bar") {
        var barW = (step * 0.8) / series.length;
        s.values.forEach(function (v, i) {
          if (!v) return;  /* no bar for null or zero */
          var rect = el("rect", {x: PAD.l + step * i + step * 0.1 + barW * si, y: y(v), width: Math.max(barW - 1, 1),
                                 height: PAD.t + plotH - y(v), fill: colour});
          rect.appendChild(el("title", {}, s.name + " · " + labels[i] + ": " + fmt(v, spec.format)));
          svg.appendChild(rect);
        });
      } else {
        var points = [];
        s.values.forEach(function (v, i) {
          if (v === null || v === undefined) return;
          var cx = PAD.l + step * (i + 0.5);
          points.push(cx + "," + y(v));
          var dot = el("circle", {cx: cx, cy: y(v), r: 3, fill: colour});
          dot.appendChild(el("title", {}, s.name + " · " + labels[i] + ": " + fmt(v, spec.format)));
          svg.appendChild(dot);
        });
        svg.appendChild(el("polyline", {points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2}));
      }
    });
    figure.appendChild(svg);
    var legend = document.createElement("figcaption");
    legend.className = "chart-legend";
    series.forEach(function (s, si) {
      var item = document.createElement("span");
      item.style.setProperty("--swatch", COLOURS[si % COLOURS.length]);
      item.textContent = s.name;
      legend.appendChild(item);
    });
    figure.appendChild(legend);
  }

  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    if (source) draw(figure, JSON.parse(source.textContent));
  });
})();
