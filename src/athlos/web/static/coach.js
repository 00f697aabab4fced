/* The voice coach of the Record page: it follows a planned workout step by step.

   It loads the workout once (so it goes on offline), listens to the recorder's "athlos:record-tick"
   events, announces each step with its target, and when the pace stays outside the step's range
   for PATIENCE_S says "a bit faster" or "ease off a little" (then waits REPEAT_S before saying it
   again). Speech can be muted; the choice is remembered. */
(function () {
  "use strict";

  var panel = document.getElementById("coach");
  var recorder = document.getElementById("recorder");
  if (!panel || !recorder) return;

  var PATIENCE_S = 20;
  var REPEAT_S = 30;
  var MARGIN_S = 5; // seconds per km of slack either side of the range
  var MUTE_KEY = "athlos.coach.muted";

  var el = {
    title: document.getElementById("coach-title"),
    now: document.getElementById("coach-now"),
    next: document.getElementById("coach-next"),
    mute: document.getElementById("coach-mute")
  };
  var workout = null;
  var index = -1; // the step being done; -1 before the first, steps.length once done
  var stepFromS = 0;
  var stepFromM = 0;
  var outsideSinceS = null;
  var lastAdviceS = -Infinity;

  function speak(message) {
    panel.dataset.spoken = (panel.dataset.spoken ? panel.dataset.spoken + "\n" : "") + message;
    if (el.mute.checked || !("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(message);
    utterance.lang = document.documentElement.lang || "en";
    window.speechSynthesis.speak(utterance);
  }

  function showStep() {
    var steps = workout.steps;
    panel.dataset.step = String(index);
    el.now.textContent = index < steps.length ? steps[index].announce : workout.texts.done;
    el.next.textContent = index + 1 < steps.length ? workout.texts.next.replace("{step}", steps[index + 1].announce) : "";
  }

  function begin(at, tick) {
    index = at;
    stepFromS = tick.movingS;
    stepFromM = tick.distanceM;
    outsideSinceS = null;
    showStep();
    speak(index < workout.steps.length ? workout.steps[index].announce : workout.texts.done);
  }

  function finished(step, tick) {
    if (step.seconds) return tick.movingS - stepFromS >= step.seconds;
    if (step.metres) return tick.distanceM - stepFromM >= step.metres;
    return false;
  }

  function advise(step, tick) {
    var pace = tick.paceSPerKm;
    if (!step.slow || !isFinite(pace)) { outsideSinceS = null; return; }
    var tooSlow = pace > step.slow + MARGIN_S;
    var tooFast = pace < step.fast - MARGIN_S;
    if (!tooSlow && !tooFast) { outsideSinceS = null; return; }
    if (outsideSinceS === null) outsideSinceS = tick.movingS;
    if (tick.movingS - outsideSinceS >= PATIENCE_S && tick.movingS - lastAdviceS >= REPEAT_S) {
      lastAdviceS = tick.movingS;
      speak(tooSlow ? workout.texts.faster : workout.texts.slower);
    }
  }

  function onTick(event) {
    var tick = event.detail;
    if (!workout || tick.status !== "recording" || index >= workout.steps.length) return;
    if (index < 0) { begin(0, tick); return; }
    var step = workout.steps[index];
    if (finished(step, tick)) { begin(index + 1, tick); return; }
    advise(step, tick);
  }

  el.mute.checked = localStorage.getItem(MUTE_KEY) === "1";
  el.mute.addEventListener("change", function () {
    localStorage.setItem(MUTE_KEY, el.mute.checked ? "1" : "0");
    if (el.mute.checked && "speechSynthesis" in window) window.speechSynthesis.cancel();
  });
  fetch(panel.dataset.src, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }).then(function (body) {
    workout = body;
    el.title.textContent = body.title;
    panel.hidden = false;
    panel.dataset.ready = "true";
    el.now.textContent = body.steps.length ? body.steps[0].announce : "";
    recorder.addEventListener("athlos:record-tick", onTick);
  }).catch(function () {
    panel.hidden = true;
  });
}());
