// The bell in the header: its unread count, kept live by the server-sent events of /notifications/stream.
(function () {
  "use strict";
  function start(bell) {
    var badge = bell.querySelector(".bell-count");
    var source = new EventSource(bell.dataset.unreadStream);
    source.addEventListener("unread", function (event) {
      var count = JSON.parse(event.data).count;
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
      bell.dataset.count = String(count);
      bell.setAttribute(
        "aria-label",
        count === 0 ? bell.dataset.labelNone : bell.dataset.labelSome.replace("{count}", String(count))
      );
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-unread-stream]").forEach(start);
  });
})();

// "Get pushes on this device" on the notification settings page: asks for permission, subscribes
// through the service worker with the server's VAPID key and sends the subscription to the server.
(function () {
  "use strict";
  function base64UrlToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  async function subscribe(button, status) {
    button.disabled = true;
    try {
      var permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = button.dataset.deniedText;
        return;
      }
      var key = (await (await fetch(button.dataset.vapidKeyUrl)).json()).key;
      var registration = await navigator.serviceWorker.ready;
      var subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(key),
      });
      var token = document.querySelector('meta[name="csrf-token"]').content;
      var response = await fetch(button.dataset.subscribeUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify(subscription.toJSON()),
      });
      if (!response.ok) throw new Error("the server refused the subscription");
      window.location.assign(button.dataset.doneUrl);
    } catch (error) {
      status.textContent = button.dataset.failedText;
    } finally {
      button.disabled = false;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-push-subscribe]");
    if (!button || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
    var status = document.querySelector("[data-push-status]");
    button.closest("[data-push-support]").hidden = false;
    button.addEventListener("click", function () { subscribe(button, status); });
  });
})();
