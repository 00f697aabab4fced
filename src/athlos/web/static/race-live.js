/* Athlos live race page: the leaderboard, the leaders' pace and a map of shared positions, from the
   race's server-sent events; for a participant also their rank and neighbours, and their own progress
   streamed from the phone's position every few seconds, numbered (seq) so a retry is always safe, and
   queued in localStorage while offline. */
(function () {
  "use strict";

  var root = document.getElementById("race-live");
  if (!root) return;

  var texts = JSON.parse(document.getElementById("race-live-texts").textContent);
  var raceId = root.dataset.race;
  var startsAt = Date.parse(root.dataset.startsAt);
  var SEND_MS = 5000;
  var MAX_ACCURACY_M = 50;
  var STORE_KEY = "athlos.live." + raceId;
  var csrfToken = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var el = {
    top: document.getElementById("race-live-top"),
    size: document.getElementById("race-live-size"),
    pace: document.getElementById("race-live-pace"),
    scope: document.getElementById("race-live-scope"),
    map: document.getElementById("race-live-map"),
    rank: document.getElementById("race-live-rank"),
    around: document.getElementById("race-live-around"),
    start: document.getElementById("race-live-start"),
    status: document.getElementById("race-live-status")
  };

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function clock(seconds) {
    var s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(rest).padStart(2, "0");
  }

  function km(metres) { return (metres / 1000).toFixed(2); }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  }

  function entryRow(entry) {
    var row = document.createElement("tr");
    if (root.dataset.participant && String(entry.bib) === root.dataset.participant) row.className = "race-live-mine";
    cell(row, String(entry.rank));
    cell(row, entry.name + " (" + entry.bib + ")");
    cell(row, km(entry.distance_m) + " " + texts.km);
    cell(row, entry.finished ? texts.finished + " " + clock(entry.time_s)
      : entry.pace_s_per_km ? clock(entry.pace_s_per_km) + " " + texts.perKm : "–");
    return row;
  }

  // --- the map of shared positions --------------------------------------------------------------------
  var map = null, markers = {};

  function showPositions(entries) {
    if (typeof L === "undefined") return;
    var placed = entries.filter(function (e) { return e.lat !== null && e.lon !== null; });
    if (!placed.length) return;
    if (!map) {
      var tiles = el.map.dataset.tileUrl;
      map = L.map(el.map, { zoomControl: true, attributionControl: Boolean(tiles), tap: false });
      if (tiles) L.tileLayer(tiles, { attribution: el.map.dataset.attribution || "", maxZoom: 19 }).addTo(map);
      map.setView([placed[0].lat, placed[0].lon], 14);
    }
    placed.forEach(function (e) {
      var marker = markers[e.bib];
      if (!marker) {
        marker = markers[e.bib] = L.circleMarker([e.lat, e.lon], { radius: 7 }).addTo(map);
        marker.bindTooltip(e.name + " (" + e.bib + ")");
      }
      marker.setLatLng([e.lat, e.lon]);
    });
    // Keep everyone in sight: widen the view when a runner has left it.
    var bounds = L.latLngBounds(placed.map(function (e) { return [e.lat, e.lon]; }));
    if (!map.getBounds().pad(-0.15).contains(bounds)) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    root.dataset.mapMarkers = String(Object.keys(markers).length);
  }

  // --- the leaderboard stream ---------------------------------------------------------------------
  var source = null;

  function showBoard(board) {
    el.top.replaceChildren.apply(el.top, board.top.map(entryRow));
    el.size.textContent = board.size ? board.size + " · " + board.scope : texts.empty;
    var leaders = board.top.slice(0, 3).filter(function (e) { return e.pace_s_per_km; });
    el.pace.textContent = leaders.map(function (e) {
      return e.name + " " + clock(e.pace_s_per_km) + " " + texts.perKm;
    }).join(" · ");
    if (el.rank && board.me) {
      el.rank.textContent = format(texts.rank, { rank: board.me.rank, size: board.size });
      el.around.replaceChildren.apply(el.around, board.me.around.map(function (e) {
        var li = document.createElement("li");
        li.value = e.rank;
        li.textContent = e.name + " · " + km(e.distance_m) + " " + texts.km;
        if (String(e.bib) === root.dataset.participant) li.className = "race-live-mine";
        return li;
      }));
    }
    showPositions(board.top);
    root.dataset.version = String(board.version);
  }

  function listen() {
    if (source) source.close();
    var scope = el.scope ? el.scope.value : "overall";
    source = new EventSource(root.dataset.stream + "?scope=" + encodeURIComponent(scope));
    source.addEventListener("board", function (event) { showBoard(JSON.parse(event.data)); });
  }

  if (el.scope) el.scope.addEventListener("change", listen);
  listen();

  // --- the participant's own progress ---------------------------------------------------------------
  if (!el.start) return;

  var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null") || { token: null, seq: 0, distance: 0, last: null, queue: [] };
  var sending = false;

  function save() { localStorage.setItem(STORE_KEY, JSON.stringify(saved)); }
  function say(text) { el.status.textContent = text; }

  // Great-circle distance in metres between two fixes.
  function metres(a, b) {
    var r = 6371008.8, rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function token() {
    if (saved.token) return Promise.resolve(saved.token);
    return fetch(root.dataset.tokenUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrfToken, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("token " + response.status);
      return response.json();
    }).then(function (body) { saved.token = body.token; save(); return body.token; });
  }

  function send() {
    if (sending || !saved.queue.length || !navigator.onLine) {
      if (saved.queue.length > 1) say(format(texts.queued, { n: saved.queue.length }));
      return;
    }
    sending = true;
    var update = saved.queue[0];
    token().then(function (secret) {
      return fetch("/api/v1/races/" + raceId + "/live/progress", {
        method: "POST",
        headers: { "Authorization": "Bearer " + secret, "Content-Type": "application/json" },
        body: JSON.stringify(update)
      });
    }).then(function (response) {
      if (response.status === 401) { saved.token = null; save(); return; }
      if (response.ok || response.status === 422 || response.status === 409) {
        saved.queue.shift(); save();
        if (!response.ok) return response.json().then(function (p) { say(format(texts.refused, { reason: p.detail })); });
        say(format(texts.streaming, { km: km(saved.distance) }));
      }
    }).catch(function () {
      say(format(texts.queued, { n: saved.queue.length }));
    }).then(function () {
      sending = false;
      if (saved.queue.length && navigator.onLine) setTimeout(send, 200);
    });
  }

  var latest = null;

  function onFix(position) {
    var c = position.coords;
    if (c.accuracy > MAX_ACCURACY_M) return;
    var fix = { lat: c.latitude, lon: c.longitude };
    if (saved.last) saved.distance += metres(saved.last, fix);
    saved.last = fix;
    latest = fix;
    save();
  }

  function tick() {
    if (!latest && !saved.last) return;
    var here = latest || saved.last;
    saved.seq += 1;
    saved.queue.push({
      seq: saved.seq,
      distance_m: Math.round(saved.distance * 10) / 10,
      elapsed_s: Math.max(0, Math.round((Date.now() - startsAt) / 100) / 10),
      lat: here.lat,
      lon: here.lon
    });
    save();
    send();
  }

  el.start.addEventListener("click", function () {
    if (!navigator.geolocation) { say(texts.noGeolocation); return; }
    el.start.disabled = true;
    say(texts.connecting);
    navigator.geolocation.watchPosition(onFix, function (error) {
      if (error.code === error.PERMISSION_DENIED) say(texts.denied);
    }, { enableHighAccuracy: true, maximumAge: 0 });
    setInterval(tick, SEND_MS);
    token().catch(function () { say(texts.notRunning); });
  });
  window.addEventListener("online", send);
})();
