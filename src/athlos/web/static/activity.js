/* Athlos: the activity page's map and charts. The track comes with the page (data-track: segments of
   [lat, lon], positions hidden by privacy zones already left out); tiles only when a tile URL is
   configured, so without tiles, or when they cannot be reached, the track still draws on a plain
   background. The charts are drawn as SVG by the server; with JavaScript they become uPlot charts
   (data-series: the shared x, each chart's values and the positions) whose cursors move together
   and show the point on the map. */
(function () {
  "use strict";
  var hover = null; // { map, marker } once the map is drawn
  var CHART_HEIGHT = 160;

  function drawMap(element) {
    if (typeof L === "undefined") return;
    var track = JSON.parse(element.dataset.track || '{"segments": []}');
    if (!track.segments.length) return;
    var map = L.map(element, { scrollWheelZoom: false, tap: false });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var lines = track.segments.map(function (segment) {
      return L.polyline(segment, { className: "activity-track", weight: 4, opacity: 0.9 });
    });
    var group = L.featureGroup(lines);
    // The view first: Leaflet draws a layer only on a map that has one.
    map.fitBounds(group.getBounds(), { padding: [16, 16] });
    group.addTo(map);
    var first = track.segments[0][0];
    var lastSegment = track.segments[track.segments.length - 1];
    var last = lastSegment[lastSegment.length - 1];
    L.circleMarker(first, { radius: 6, color: "#fff", fillColor: "#16a34a", fillOpacity: 1, weight: 2 }).addTo(map);
    L.circleMarker(last, { radius: 6, color: "#fff", fillColor: "#b42318", fillOpacity: 1, weight: 2 }).addTo(map);
    var marker = L.circleMarker(first, {
      radius: 7, color: "#fff", fillColor: "#1d4ed8", fillOpacity: 1, weight: 3, className: "activity-hover",
    });
    hover = { map: map, marker: marker };
    element.classList.add("map-ready");
  }

  function showPoint(data, index) {
    if (!hover) return;
    var lat = index == null ? null : data.lat && data.lat[index];
    var lon = index == null ? null : data.lon && data.lon[index];
    if (lat == null || lon == null) {
      hover.marker.remove();
      return;
    }
    hover.marker.setLatLng([lat, lon]);
    if (!hover.map.hasLayer(hover.marker)) hover.marker.addTo(hover.map);
  }

  function clock(seconds) {
    var total = Math.round(seconds);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  // Round steps: whole minutes and hours for time, 1-2-5 steps for numbers.
  var TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200];
  var NUMBER_STEPS = [];
  [-3, -2, -1, 0, 1, 2, 3, 4, 5].forEach(function (p) {
    [1, 2, 5].forEach(function (m) { NUMBER_STEPS.push(+(m * Math.pow(10, p)).toPrecision(3)); });
  });

  function numberText(value, step, locale) {
    var digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
    return value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // Never magnify noise: the scale spans at least a tenth of the values' size (an even pace stays flat).
  function calmRange(u, low, high) {
    if (low == null || high == null) return [0, 1];
    var least = Math.max(Math.abs(low + high) / 2 * 0.1, 1);
    if (high - low < least) {
      var middle = (low + high) / 2;
      low = middle - least / 2;
      high = middle + least / 2;
    }
    var pad = (high - low) * 0.05;
    return [low - pad, high + pad];
  }

  function drawCharts(section) {
    if (typeof uPlot === "undefined") return;
    var data = JSON.parse(section.dataset.series || '{"charts": []}');
    var locale = document.documentElement.lang || "en";
    var timeX = data.x_kind === "time";
    var xUnit = section.dataset.xUnit || "";
    var style = getComputedStyle(document.documentElement);
    var accent = (style.getPropertyValue("--accent") || "#e4572e").trim();
    var muted = (style.getPropertyValue("--muted") || "#666").trim();
    var border = (style.getPropertyValue("--border") || "#ddd").trim();
    var figures = section.querySelectorAll("figure.chart");
    data.charts.forEach(function (chart, n) {
      var figure = figures[n];
      if (!figure) return;
      var host = figure.querySelector(".chart-canvas");
      var durationY = chart.kind === "duration";
      var unit = figure.dataset.unit || "";
      var axis = { stroke: muted, grid: { stroke: border, width: 1 }, ticks: { stroke: border, width: 1 } };
      var options = {
        width: Math.max(host.clientWidth, 200),
        height: CHART_HEIGHT,
        cursor: { sync: { key: "activity", setSeries: false }, drag: { x: false, y: false }, points: { size: 7 } },
        legend: { live: true },
        scales: { x: { time: false }, y: { dir: chart.invert ? -1 : 1, range: calmRange } },
        axes: [
          Object.assign({}, axis, {
            incrs: timeX ? TIME_STEPS : NUMBER_STEPS,
            values: function (u, ticks, space, span, step) {
              return ticks.map(function (v) { return timeX ? clock(v) : numberText(v, step, locale); });
            },
          }),
          Object.assign({}, axis, {
            size: 52,
            incrs: durationY ? TIME_STEPS : NUMBER_STEPS,
            values: function (u, ticks, space, span, step) {
              return ticks.map(function (v) { return durationY ? clock(v) : numberText(v, step, locale); });
            },
          }),
        ],
        series: [
          {
            label: timeX ? "" : xUnit,
            value: function (u, v) {
              if (v == null) return "–";
              return timeX ? clock(v) : v.toLocaleString(locale, { maximumFractionDigits: 2 }) + " " + xUnit;
            },
          },
          {
            label: figure.dataset.label || "",
            stroke: accent,
            width: 1.5,
            fill: accent + "22",
            points: { show: false },
            value: function (u, v) {
              if (v == null) return "–";
              return (durationY ? clock(v) : v.toLocaleString(locale, { maximumFractionDigits: 1 })) + " " + unit;
            },
          },
        ],
        hooks: {
          setCursor: [function (u) { if (n === 0) showPoint(data, u.cursor.idx); }],
        },
      };
      var plot = new uPlot(options, [data.x, chart.values], host);
      figure.classList.add("chart-ready");
      if (typeof ResizeObserver !== "undefined") {
        new ResizeObserver(function () {
          if (host.clientWidth) plot.setSize({ width: host.clientWidth, height: CHART_HEIGHT });
        }).observe(host);
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-activity-map]").forEach(drawMap);
    document.querySelectorAll("[data-activity-charts]").forEach(drawCharts);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
