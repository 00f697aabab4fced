/* Athlos service worker: keeps the shell for offline use. Served from /sw.js so its scope is the site.
   Pages: network first, the cached shell or the offline page when the network fails; when the visitor
   changes language, the cached shell pages are fetched again in the new one.
   Static assets: cache first, refreshed in the background. The API and sign-in flows are never cached. */
const CACHE = "athlos-shell-__VERSION__";
const PRECACHE = [__PRECACHE__];
const SHELL_PAGES = [__SHELL_PAGES__];
const NETWORK_ONLY = [__NETWORK_ONLY__];
const OFFLINE_URL = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

async function refreshShellInLanguage(language) {
  const cache = await caches.open(CACHE);
  const offline = await cache.match(OFFLINE_URL);
  if (!language || (offline && offline.headers.get("Content-Language") === language)) return;
  await cache.addAll(SHELL_PAGES);
}

async function pageFromNetwork(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    event.waitUntil(refreshShellInLanguage(response.headers.get("Content-Language")).catch(() => undefined));
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    // The shell is kept in one language at a time (see above), so the Vary of its pages does not apply here.
    return (await cache.match(request, { ignoreVary: true })) || (await cache.match(OFFLINE_URL)) || Response.error();
  }
}

async function assetFromCache(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    fresh.catch(() => undefined);
    return cached;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/api/") ||
    NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))
  ) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(event));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(assetFromCache(request));
  }
});

// Web Push: a notification sent by Athlos ({title, body, url, tag}) is shown; a click opens its page.
self.addEventListener("push", (event) => {
  let message = { title: "Athlos", body: "", url: "/notifications", tag: undefined };
  try {
    message = Object.assign(message, event.data ? event.data.json() : {});
  } catch (error) {
    message.body = event.data ? event.data.text() : "";
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      icon: "/static/icons/icon-192.png",
      data: { url: message.url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/notifications";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && "navigate" in client) {
          return client.focus().then(() => client.navigate(url));
        }
      }
      return self.clients.openWindow(url);
    })
  );
});
