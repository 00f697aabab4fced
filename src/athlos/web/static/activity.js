/* Athlos: the activity page's map. The track comes with the page (data-track: segments of [lat, lon],
   positions hidden by privacy zones already left out); tiles only when a tile URL is configured, so
   without tiles, or when they cannot be reached, the track still draws on a plain background. */
(function () {
  "use strict";
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
    element.classList.add("map-ready");
  }
  function init() {
    document.querySelectorAll("[data-activity-map]").forEach(drawMap);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
