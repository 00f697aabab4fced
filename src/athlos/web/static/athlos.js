/* Athlos: the little script every page loads. Everything works without it; it adds the service worker
   (offline shell, installable app) and sends the CSRF token with htmx requests. */
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
        console.warn("Athlos: service worker not registered", error);
      });
    });
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
  });
})();
