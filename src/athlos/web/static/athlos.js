/* Athlos: the little script every page loads. Everything works without it; it adds the service worker
   (offline shell, installable app), sends the CSRF token with htmx requests and empties a form marked
   data-reset-on-success once htmx has sent it. A row of tabs wider than a phone scrolls the current tab
   into sight. Pages carry no inline script (the Content-Security-Policy
   forbids it), so behaviour that would sit in an hx-on attribute lives here. */
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
  document.querySelectorAll(".settings-nav").forEach(function (tabs) {
    var current = tabs.querySelector('[aria-current="page"]');
    if (current && tabs.scrollWidth > tabs.clientWidth) {
      tabs.scrollLeft = current.offsetLeft - tabs.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (event.detail.successful && form instanceof HTMLFormElement && form.hasAttribute("data-reset-on-success")) {
      form.reset();
    }
  });
})();
