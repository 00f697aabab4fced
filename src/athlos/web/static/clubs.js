/* Athlos: the meeting point of a club event on a map. On the event form a click places the point and
   fills the latitude and longitude fields (which also work by hand without JavaScript); on the event
   page the point is shown. Tiles only when a tile URL is configured. */
(function () {
  "use strict";
  var DEFAULT_VIEW = [48.137, 11.575];

  function field(name) {
    return document.getElementById("f-" + name);
  }

  function setUp(element) {
    if (typeof L === "undefined") return;
    var shown = element.dataset.point ? element.dataset.point.split(",").map(Number) : null;
    var lat = field("meeting_lat");
    var lon = field("meeting_lon");
    var typed = lat && lon && lat.value && lon.value ? [Number(lat.value), Number(lon.value)] : null;
    var point = shown || typed;
    var map = L.map(element, { scrollWheelZoom: false, tap: false }).setView(point || DEFAULT_VIEW, point ? 15 : 12);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var marker = point ? L.circleMarker(point, { radius: 8, color: "#fff", fillColor: "#1d4ed8", fillOpacity: 1, weight: 3 }).addTo(map) : null;
    if (shown || !lat || !lon) return;
    map.on("click", function (event) {
      var at = event.latlng;
      lat.value = at.lat.toFixed(5);
      lon.value = at.lng.toFixed(5);
      if (marker) marker.setLatLng(at);
      else marker = L.circleMarker(at, { radius: 8, color: "#fff", fillColor: "#1d4ed8", fillOpacity: 1, weight: 3 }).addTo(map);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-meeting-map]").forEach(setUp);
  });
})();
