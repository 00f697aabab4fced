/* Athlos Record page: records a workout from the phone's position, offline too.

   Every position goes into the recording kept in IndexedDB; positions are sent to the recordings API in
   numbered batches (a batch sent twice is recognised by its number, so retrying is always safe). Every
   call to the server waits in a queue in IndexedDB and is sent in order when the network is there, so
   nothing recorded while offline is lost, even if the page is closed. The screen is kept on while
   recording, and a voice tells each kilometre (unless muted; the choice is remembered).

   Nothing starts before the first position: Start looks for one, and only a fix starts the timer and
   the recording, so a browser that may not use the location explains how to allow it instead. The
   track so far is drawn on a map (tiles only when configured), the fix's accuracy is shown, the lap
   button starts a new lap, and standing still pauses the recording until the athlete moves again. */
(function () {
  "use strict";

  var root = document.getElementById("recorder");
  if (!root) return;

  var texts = JSON.parse(document.getElementById("record-texts").textContent);
  var DB_NAME = "athlos-record";
  var STATE = "state";
  var QUEUE = "queue";
  var CURRENT = "current";
  var BATCH_POINTS = 10;
  var FLUSH_MS = 5000;
  var RETRY_MS = 10000;
  var MAX_ACCURACY_M = 50;
  var PACE_WINDOW_S = 30;
  var AUTO_PAUSE_S = 10; // standing this long (within AUTO_PAUSE_M) pauses the recording
  var AUTO_PAUSE_M = 8;
  var AUTO_RESUME_M = 15; // moving this far from where it paused goes on
  var GOOD_ACCURACY_M = 10;
  var VOICE_KEY = "athlos.record.voice";
  var AUTO_PAUSE_KEY = "athlos.record.autopause";
  var SPORT_KEY = "athlos.record.sport";

  var el = {
    sport: document.getElementById("record-sport"),
    time: document.getElementById("record-time"),
    distance: document.getElementById("record-distance"),
    pace: document.getElementById("record-pace"),
    status: document.getElementById("record-status"),
    sync: document.getElementById("record-sync"),
    signIn: document.getElementById("record-signin"),
    start: document.getElementById("record-start"),
    pause: document.getElementById("record-pause"),
    resume: document.getElementById("record-resume"),
    finish: document.getElementById("record-finish"),
    discard: document.getElementById("record-discard"),
    voice: document.getElementById("record-voice"),
    autoPause: document.getElementById("record-auto-pause"),
    help: document.getElementById("record-location-help"),
    map: document.getElementById("record-map"),
    accuracy: document.getElementById("record-accuracy"),
    lap: document.getElementById("record-lap"),
    lapStat: document.getElementById("record-lap-stat"),
    lapName: document.getElementById("record-lap-name"),
    lapTime: document.getElementById("record-lap-time")
  };

  var db = null;
  var state = null; // the recording in progress, as kept in IndexedDB
  var waiting = 0; // points not yet acknowledged by the server
  var watchId = null;
  var wakeLock = null;
  var syncing = false;
  var syncAgain = false;
  var unreachable = false;
  var locating = false; // Start was pressed and the first position is awaited
  var map = null; // the Leaflet map, made at the first position
  var lines = []; // one polyline per stretch between pauses
  var here = null; // the marker of the latest position
  var csrfToken = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // --- IndexedDB ------------------------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STATE);
        request.result.createObjectStore(QUEUE, { autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Runs ``work(stores)`` in one transaction over both stores; resolves when it is committed.
  function transact(work) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction([STATE, QUEUE], "readwrite");
      var result;
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
      result = work({ state: tx.objectStore(STATE), queue: tx.objectStore(QUEUE) });
    });
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function saveState() {
    var copy = state;
    return transact(function (s) {
      if (copy) s.state.put(copy, CURRENT); else s.state.delete(CURRENT);
    });
  }

  // Saves the state and queues ``op`` together, so a crash between the two cannot lose or repeat it.
  function saveAndQueue(op) {
    var copy = state;
    return transact(function (s) {
      if (copy) s.state.put(copy, CURRENT); else s.state.delete(CURRENT);
      s.queue.add(op);
    }).then(function () {
      if (op.kind === "points") waiting += op.points.length;
      showSync();
      sync();
    });
  }

  function firstQueued() {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(QUEUE, "readonly");
      var cursor = tx.objectStore(QUEUE).openCursor();
      cursor.onsuccess = function () {
        var c = cursor.result;
        resolve(c ? { key: c.key, op: c.value } : null);
      };
      cursor.onerror = function () { reject(cursor.error); };
    });
  }

  function allQueued() {
    var tx = db.transaction(QUEUE, "readonly");
    return request(tx.objectStore(QUEUE).getAll());
  }

  function unqueue(key) {
    return transact(function (s) { s.queue.delete(key); });
  }

  function clearAll() {
    return transact(function (s) { s.queue.clear(); s.state.delete(CURRENT); });
  }

  // --- figures --------------------------------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // Great-circle distance in metres (the server measures on the ellipsoid; this is for the display).
  function metres(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLon = (b.lon - a.lon) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function movingMs(now) {
    if (!state) return 0;
    var until = state.pausedSince !== null ? state.pausedSince : now;
    return Math.max(0, until - state.startedAt - state.pausedMs);
  }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    s = s % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function paceText(secondsPerKm) {
    if (!isFinite(secondsPerKm) || secondsPerKm <= 0 || secondsPerKm > 3600) return "–:––";
    var total = Math.round(secondsPerKm);
    var s = total % 60;
    return Math.floor(total / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  // Current pace: over the last half minute of precise positions.
  function currentPace() {
    var recent = state ? state.recent : [];
    if (recent.length < 2) return NaN;
    var first = recent[0];
    var last = recent[recent.length - 1];
    var metresCovered = last.d - first.d;
    if (metresCovered < 5) return NaN;
    return (last.t - first.t) / metresCovered * 1000;
  }

  // --- showing --------------------------------------------------------------------------------------

  function show() {
    var status = state ? state.status : "idle";
    root.dataset.state = status;
    el.start.hidden = status !== "idle";
    el.sport.disabled = status !== "idle";
    el.pause.hidden = status !== "recording";
    el.resume.hidden = status !== "paused";
    el.finish.hidden = status !== "recording" && status !== "paused";
    el.discard.hidden = status !== "paused";
    el.lap.hidden = status !== "recording";
    el.lapStat.hidden = !state || !state.laps.length;
    if (state) el.sport.value = state.sport;
    showFigures();
    showSync();
  }

  function showFigures() {
    el.time.textContent = clock(movingMs(Date.now()));
    el.distance.textContent = ((state ? state.distance : 0) / 1000).toFixed(2);
    el.pace.textContent = state && state.status === "recording" ? paceText(currentPace()) : "–:––";
    root.dataset.points = state ? String(state.points) : "0";
    root.dataset.laps = state ? String(state.laps.length) : "0";
    if (state && state.laps.length) {
      el.lapName.textContent = texts.lap.replace("{n}", state.laps.length + 1);
      el.lapTime.textContent = clock(movingMs(Date.now()) - state.lapMovingMs);
    }
    root.dataset.distance = state ? String(Math.round(state.distance)) : "0";
    // Others on the page (the voice coach) follow the recording through this event.
    root.dispatchEvent(new CustomEvent("athlos:record-tick", { detail: {
      status: state ? state.status : "idle",
      movingS: movingMs(Date.now()) / 1000,
      distanceM: state ? state.distance : 0,
      paceSPerKm: state && state.status === "recording" ? currentPace() : NaN
    } }));
  }

  function say(message) {
    el.status.textContent = message;
  }

  function showSync() {
    var pending = waiting + (state ? state.buffer.length : 0);
    var offline = unreachable || !navigator.onLine;
    root.dataset.offline = offline ? "true" : "false";
    el.sync.dataset.waiting = String(pending);
    if (offline && (pending > 0 || state)) {
      el.sync.textContent = texts.offline.replace("{n}", pending);
    } else if (pending > 0) {
      el.sync.textContent = texts.sending.replace("{n}", pending);
    } else {
      el.sync.textContent = state && state.created ? texts.synced : "";
    }
  }

  // --- the screen and the voice ---------------------------------------------------------------------

  function keepAwake(on) {
    if (!("wakeLock" in navigator)) return;
    if (on && !wakeLock) {
      navigator.wakeLock.request("screen").then(function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
      }).catch(function () { /* not allowed now (page hidden, battery saver): the next chance retries */ });
    } else if (!on && wakeLock) {
      wakeLock.release().catch(function () {});
      wakeLock = null;
    }
  }

  function speak(message) {
    if (!el.voice.checked || !("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(message);
    utterance.lang = document.documentElement.lang || "en";
    window.speechSynthesis.speak(utterance);
  }

  function kilometreCue() {
    var km = Math.floor(state.distance / 1000);
    if (km <= state.kmSpoken) return;
    var now = movingMs(Date.now());
    var seconds = Math.round((now - state.kmMovingMs) / 1000 / (km - state.kmSpoken));
    state.kmSpoken = km;
    state.kmMovingMs = now;
    var pace = texts.cueMinutes.replace("{m}", Math.floor(seconds / 60)).replace("{s}", seconds % 60);
    root.dataset.cues = String(km);
    speak(texts.cue.replace("{km}", km).replace("{pace}", pace));
  }

  // --- the map and the accuracy ---------------------------------------------------------------------

  function showAccuracy(accuracy) {
    if (accuracy === null || accuracy === undefined || !isFinite(accuracy)) return;
    el.accuracy.textContent = texts.accuracy.replace("{m}", Math.round(accuracy));
    el.accuracy.dataset.quality =
      accuracy <= GOOD_ACCURACY_M ? "good" : accuracy <= MAX_ACCURACY_M ? "fair" : "poor";
  }

  function showHelp(shown) {
    el.help.hidden = !shown;
  }

  function ensureMap(lat, lon) {
    if (map || typeof L === "undefined") return map;
    var tiles = el.map.dataset.tileUrl;
    map = L.map(el.map, { zoomControl: false, attributionControl: Boolean(tiles), tap: false });
    if (tiles) L.tileLayer(tiles, { attribution: el.map.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    map.setView([lat, lon], 16);
    drawTrack();
    return map;
  }

  function newLine() {
    var line = L.polyline([], { className: "record-track", weight: 4, opacity: 0.9 }).addTo(map);
    lines.push(line);
    return line;
  }

  // Draws the position, and the track so far when recording; the map follows the athlete.
  function showOnMap(lat, lon) {
    if (!ensureMap(lat, lon)) return;
    if (!here) {
      here = L.circleMarker([lat, lon], { radius: 7, color: "#fff", fillColor: "#1d4ed8", fillOpacity: 1, weight: 3 });
      here.addTo(map);
    } else {
      here.setLatLng([lat, lon]);
    }
    map.panTo([lat, lon], { animate: false });
  }

  function drawTrack() {
    if (!map || !state) return;
    lines.forEach(function (line) { line.remove(); });
    lines = [];
    state.track.forEach(function (stretch) { newLine().setLatLngs(stretch); });
    root.dataset.mapPoints = String(state.track.reduce(function (n, s) { return n + s.length; }, 0));
  }

  function addToTrack(lat, lon) {
    state.track[state.track.length - 1].push([lat, lon]);
    if (!map) return;
    if (lines.length < state.track.length) { drawTrack(); return; }
    lines[lines.length - 1].addLatLng([lat, lon]);
    root.dataset.mapPoints = String(Number(root.dataset.mapPoints || "0") + 1);
  }

  // --- positions ------------------------------------------------------------------------------------

  function watch() {
    if (watchId !== null || !("geolocation" in navigator)) return;
    watchId = navigator.geolocation.watchPosition(onPosition, onPositionError, {
      enableHighAccuracy: true,
      maximumAge: 0,
      timeout: 30000
    });
  }

  function unwatch() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  }

  function onPositionError(error) {
    if (error.code === error.PERMISSION_DENIED) {
      // Nothing was started (or nothing more is recorded): say why and how to allow the location.
      unwatch();
      locating = false;
      el.start.disabled = false;
      showHelp(true);
      say(texts.denied);
      show();
    } else if (locating) {
      say(texts.noFix);
    }
  }

  function onPosition(position) {
    var c = position.coords;
    showHelp(false);
    showAccuracy(c.accuracy);
    if (isFinite(c.latitude) && isFinite(c.longitude)) showOnMap(c.latitude, c.longitude);
    if (locating) {
      if (c.accuracy > MAX_ACCURACY_M) { say(texts.waiting); return; }
      begin();
    }
    if (!state) return;
    if (state.status === "paused" && state.autoPaused) {
      if (!movedOn(c)) return;
      autoResume((position.timestamp || Date.now()) / 1000);
    }
    if (state.status !== "recording") return;
    var point = { t: (position.timestamp || Date.now()) / 1000, lat: c.latitude, lon: c.longitude };
    if (c.altitude !== null && c.altitude !== undefined && isFinite(c.altitude)) point.alt = c.altitude;
    if (c.accuracy !== null && c.accuracy !== undefined && isFinite(c.accuracy)) {
      point.accuracy = Math.min(c.accuracy, 100000);
    }
    if (point.lat < -90 || point.lat > 90 || point.lon < -180 || point.lon > 180) return;
    // A fix given again (a watch started anew hands out the last one) or out of order is not a new point.
    if (state.lastT !== undefined && point.t <= state.lastT) return;
    state.lastT = point.t;
    state.points += 1;
    var precise = point.accuracy === undefined || point.accuracy <= MAX_ACCURACY_M;
    if (precise) {
      if (state.lastFix) state.distance += metres(state.lastFix, point);
      state.lastFix = { lat: point.lat, lon: point.lon };
      state.recent.push({ t: point.t, d: state.distance });
      while (state.recent.length > 2 && point.t - state.recent[0].t > PACE_WINDOW_S) state.recent.shift();
      addToTrack(point.lat, point.lon);
      kilometreCue();
    }
    state.buffer.push(point);
    say(texts.recording);
    if (precise && stoodStill(point)) { autoPause(); return; }
    showFigures();
    if (state.buffer.length >= BATCH_POINTS) flush(); else saveState().then(showSync);
  }

  // Whether every precise fix of the last AUTO_PAUSE_S seconds lies within AUTO_PAUSE_M of this one.
  function stoodStill(point) {
    if (!el.autoPause.checked) return false;
    var windowS = Number(root.dataset.autoPauseS) || AUTO_PAUSE_S;
    state.still.push({ t: point.t, lat: point.lat, lon: point.lon });
    while (state.still.length > 1 && point.t - state.still[1].t >= windowS) state.still.shift();
    if (point.t - state.still[0].t < windowS) return false;
    var reach = Math.max(AUTO_PAUSE_M, point.accuracy || 0);
    return state.still.every(function (fix) { return metres(fix, point) < reach; });
  }

  // Paused from when the athlete stopped; the position keeps being watched to go on by itself.
  function autoPause() {
    var since = state.still[0].t;
    state.status = "paused";
    state.autoPaused = true;
    state.anchor = { lat: state.lastFix.lat, lon: state.lastFix.lon };
    state.pausedSince = since * 1000;
    state.still = [];
    say(texts.autoPaused);
    show();
    flush().then(function () { return saveAndQueue({ kind: "pause", id: state.id, at: since }); });
  }

  function movedOn(coords) {
    if (coords.accuracy > MAX_ACCURACY_M) return false;
    return metres(state.anchor, { lat: coords.latitude, lon: coords.longitude }) > AUTO_RESUME_M;
  }

  function autoResume(at) {
    goOn(at * 1000);
    saveAndQueue({ kind: "resume", id: state.id, at: at });
  }

  // Recording again from ``ms`` after a pause, measuring afresh from the next position.
  function goOn(ms) {
    state.pausedMs += Math.max(0, ms - state.pausedSince);
    state.pausedSince = null;
    state.status = "recording";
    state.autoPaused = false;
    state.lastFix = null;
    state.recent = [];
    state.still = [];
    state.track.push([]);
    show();
  }

  // Moves the buffered points into a numbered batch in the queue.
  function flush() {
    if (!state || !state.buffer.length) return Promise.resolve();
    var op = { kind: "points", id: state.id, seq: state.nextSeq, points: state.buffer };
    state.nextSeq += 1;
    state.buffer = [];
    return saveAndQueue(op);
  }

  // --- talking to the server ------------------------------------------------------------------------

  function call(op) {
    var base = "/api/v1/recordings";
    var url = base + "/" + op.id;
    var method = "POST";
    var body = null;
    if (op.kind === "start") {
      url = base;
      body = { id: op.id, sport: op.sport, started_at: op.started_at };
    } else if (op.kind === "points") {
      url += "/points";
      body = { seq: op.seq, points: op.points };
    } else if (op.kind === "discard") {
      method = "DELETE";
    } else {
      url += "/" + op.kind;
      body = { at: op.at };
    }
    var headers = { "X-CSRF-Token": csrfToken, "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined
    });
  }

  // A page kept by the service worker may carry a token for an older cookie: ask for a fresh one.
  function refreshToken() {
    return fetch("/record", { credentials: "same-origin" }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var found = /name="csrf-token" content="([^"]+)"/.exec(html);
      if (found) csrfToken = found[1];
      return Boolean(found);
    });
  }

  // Sends one queued call; resolves to the answer's body, or to null when it must wait for later.
  function send(op, retried) {
    return call(op).then(function (response) {
      unreachable = false;
      if (response.status === 401) {
        el.signIn.hidden = false;
        return null;
      }
      el.signIn.hidden = true;
      if (response.status === 403 && !retried) {
        return refreshToken().then(function (ok) { return ok ? send(op, true) : null; });
      }
      if (response.status >= 500 || response.status === 429 || response.status === 403) return null;
      var parsed = response.status === 204 ? Promise.resolve({}) : response.json().catch(function () { return {}; });
      return parsed.then(function (answer) {
        return { ok: response.ok, status: response.status, body: answer };
      });
    }, function () {
      unreachable = true;
      return null;
    });
  }

  function sync() {
    if (!db) return;
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    syncAgain = false;
    (function next() {
      firstQueued().then(function (entry) {
        if (!entry) return "done";
        return send(entry.op).then(function (result) {
          if (result === null) return "later";
          return unqueue(entry.key).then(function () {
            settled(entry.op, result);
            return "more";
          });
        });
      }).then(function (outcome) {
        showSync();
        if (outcome === "more") return next();
        syncing = false;
        if (outcome === "later") setTimeout(sync, RETRY_MS);
        else if (syncAgain) sync();
      }, function () {
        syncing = false;
        setTimeout(sync, RETRY_MS);
      });
    })();
  }

  // What an answer of the server means for the recording on this phone.
  function settled(op, result) {
    if (op.kind === "points") {
      waiting = Math.max(0, waiting - op.points.length);
      if (!result.ok) say(texts.refused);
      return;
    }
    if (!state || state.id !== op.id) return;
    if (result.status === 404) {
      // The recording is gone from the server (discarded on another screen): nothing left to send.
      state = null;
      waiting = 0;
      unwatch();
      keepAwake(false);
      clearAll().then(show);
      say(texts.refused);
      return;
    }
    if (op.kind === "start" && result.ok) {
      state.created = true;
      saveState();
    } else if (op.kind === "finish") {
      if (result.ok && result.body.activity_id) {
        var target = "/activities/" + result.body.activity_id;
        state = null;
        clearAll().then(function () { window.location.assign(target); });
      } else {
        // Too short to become an activity: back to paused, to go on or discard.
        state.status = "paused";
        state.pausedSince = Date.now();
        saveAndQueue({ kind: "pause", id: state.id, at: state.pausedSince / 1000 });
        say(texts.tooShort);
        show();
      }
    }
  }

  // --- the buttons ----------------------------------------------------------------------------------

  // Start looks for the position first; the recording begins with the first precise fix.
  function start() {
    if (!("geolocation" in navigator)) { say(texts.noGeolocation); return; }
    if (state || locating) return;
    locating = true;
    el.start.disabled = true;
    root.dataset.state = "locating";
    say(texts.locating);
    watch();
  }

  function begin() {
    locating = false;
    el.start.disabled = false;
    var now = Date.now();
    state = {
      id: newId(),
      sport: el.sport.value,
      status: "recording",
      created: false,
      startedAt: now,
      pausedMs: 0,
      pausedSince: null,
      distance: 0,
      lastFix: null,
      recent: [],
      buffer: [],
      nextSeq: 0,
      points: 0,
      kmSpoken: 0,
      kmMovingMs: 0,
      track: [[]],
      laps: [],
      lapMovingMs: 0,
      still: [],
      autoPaused: false,
      anchor: null
    };
    show();
    keepAwake(true);
    saveAndQueue({ kind: "start", id: state.id, sport: state.sport, started_at: new Date(now).toISOString() });
  }

  function pause() {
    if (!state || state.status !== "recording") return;
    flush().then(function () {
      state.status = "paused";
      state.autoPaused = false;
      state.pausedSince = Date.now();
      unwatch();
      keepAwake(false);
      say(texts.paused);
      show();
      return saveAndQueue({ kind: "pause", id: state.id, at: state.pausedSince / 1000 });
    });
  }

  function resume() {
    if (!state || state.status !== "paused") return;
    var now = Date.now();
    // The way covered while paused does not count: measuring starts again from the next position.
    goOn(now);
    say(texts.waiting);
    watch();
    keepAwake(true);
    saveAndQueue({ kind: "resume", id: state.id, at: now / 1000 });
  }

  function lap() {
    if (!state || state.status !== "recording") return;
    var now = Date.now();
    state.laps.push(now);
    state.lapMovingMs = movingMs(now);
    show();
    flush().then(function () { return saveAndQueue({ kind: "lap", id: state.id, at: now / 1000 }); });
  }

  function finish() {
    if (!state || (state.status !== "recording" && state.status !== "paused")) return;
    flush().then(function () {
      var now = Date.now();
      if (state.pausedSince !== null) {
        state.pausedMs += now - state.pausedSince;
        state.pausedSince = null;
      }
      state.status = "finishing";
      state.finishedAt = now;
      unwatch();
      keepAwake(false);
      say(navigator.onLine ? texts.finishing : texts.finishOffline);
      show();
      return saveAndQueue({ kind: "finish", id: state.id, at: now / 1000 });
    });
  }

  function discard() {
    if (!state || !window.confirm(texts.confirmDiscard)) return;
    var id = state.id;
    var created = state.created;
    state = null;
    waiting = 0;
    unwatch();
    keepAwake(false);
    say("");
    // Nothing queued matters any more; the server forgets the recording if it ever heard of it.
    clearAll().then(function () {
      show();
      if (created) return saveAndQueue({ kind: "discard", id: id });
    });
  }

  // --- starting up ----------------------------------------------------------------------------------

  function restore() {
    return transact(function (s) {
      var holder = {};
      s.state.get(CURRENT).onsuccess = function (event) { holder.state = event.target.result; };
      return holder;
    }).then(function (holder) {
      state = holder.state || null;
      if (state) {
        // Recordings kept by an older version of this page lack what it added since.
        state.track = state.track || [[]];
        state.laps = state.laps || [];
        state.lapMovingMs = state.lapMovingMs || 0;
        state.still = state.still || [];
        state.autoPaused = Boolean(state.autoPaused);
      }
      return allQueued();
    }).then(function (ops) {
      waiting = ops.reduce(function (n, op) { return n + (op.kind === "points" ? op.points.length : 0); }, 0);
      show();
      if (state && state.status === "recording") { watch(); keepAwake(true); say(texts.recording); }
      if (state && state.status === "paused" && state.autoPaused) { watch(); say(texts.autoPaused); }
      if (state && state.status === "paused" && !state.autoPaused) say(texts.paused);
      if (state && state.status === "finishing") say(texts.finishing);
      sync();
    });
  }

  el.voice.checked = localStorage.getItem(VOICE_KEY) !== "off";
  var lastSport = localStorage.getItem(SPORT_KEY);
  if (lastSport && el.sport.querySelector('option[value="' + lastSport.replace(/[^a-z_]/g, "") + '"]')) {
    el.sport.value = lastSport;
  }
  el.sport.addEventListener("change", function () { localStorage.setItem(SPORT_KEY, el.sport.value); });
  el.voice.addEventListener("change", function () {
    localStorage.setItem(VOICE_KEY, el.voice.checked ? "on" : "off");
    if (!el.voice.checked && "speechSynthesis" in window) window.speechSynthesis.cancel();
  });
  el.autoPause.checked = localStorage.getItem(AUTO_PAUSE_KEY) !== "off";
  el.autoPause.addEventListener("change", function () {
    localStorage.setItem(AUTO_PAUSE_KEY, el.autoPause.checked ? "on" : "off");
  });
  el.start.addEventListener("click", start);
  el.lap.addEventListener("click", lap);
  el.pause.addEventListener("click", pause);
  el.resume.addEventListener("click", resume);
  el.finish.addEventListener("click", finish);
  el.discard.addEventListener("click", discard);
  // Back online: send what waits at once, the positions not yet batched included.
  window.addEventListener("online", function () {
    unreachable = false;
    showSync();
    if (state && state.buffer.length) flush(); else sync();
  });
  window.addEventListener("offline", showSync);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state && state.status === "recording") keepAwake(true);
    if (document.visibilityState === "hidden") flush();
  });
  setInterval(function () { if (state) showFigures(); }, 1000);
  setInterval(flush, FLUSH_MS);

  // Location refused before? Say how to allow it before the athlete presses Start.
  if (navigator.permissions && navigator.permissions.query) {
    navigator.permissions.query({ name: "geolocation" }).then(function (permission) {
      showHelp(permission.state === "denied");
      permission.onchange = function () { showHelp(permission.state === "denied"); };
    }).catch(function () {});
  }

  // Signed out? Say so before the athlete sets off, not after.
  if (navigator.onLine) {
    fetch("/api/v1/recordings", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { el.signIn.hidden = response.status !== 401; })
      .catch(function () {});
  }

  el.start.disabled = true;
  openDb().then(function (opened) {
    db = opened;
    return restore();
  }).then(function () {
    el.start.disabled = false;
  }, function () {
    say(texts.noStorage);
  });
})();
