/* The door scanner's service worker (scope /checkin): the page, its scripts and styles
   are kept so /checkin opens with the network gone. The page is fetched from the network
   first (fresh counts and CSRF token) and from the cache only when that fails; static
   files, whose URLs never change meaning, are served from the cache first.
   The list to keep and the cache's version come from the server: GET /checkin/sw.js
   prepends `self.OFFLINE = {version, assets, page}`. */
/* global self, caches, fetch, Response, URL */
(function () {
  "use strict";
  var config = self.OFFLINE || { version: "0", assets: [], page: "/checkin" };
  var CACHE = "checkin-" + config.version;

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(CACHE).then(function (cache) { return cache.addAll(config.assets); })
        .then(function () { return self.skipWaiting(); })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("checkin-") === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); }));
      }).then(function () { return self.clients.claim(); })
    );
  });

  function isPage(url) {
    return url.pathname === config.page;
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") { return; }
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) { return; }
    if (isPage(url)) {
      // One copy of the page per query (event, session, door): the last one seen online.
      event.respondWith(
        fetch(request).then(function (response) {
          if (response.ok && !response.redirected) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        }).catch(function () {
          return caches.open(CACHE).then(function (cache) {
            return cache.match(request).then(function (hit) {
              return hit || cache.match(config.page, { ignoreSearch: true });
            });
          }).then(function (hit) {
            return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
          });
        })
      );
      return;
    }
    if (url.pathname.indexOf("/static/") === 0) {
      event.respondWith(
        caches.open(CACHE).then(function (cache) {
          return cache.match(request).then(function (hit) {
            return hit || fetch(request).then(function (response) {
              if (response.ok) { cache.put(request, response.clone()); }
              return response;
            });
          });
        })
      );
    }
  });
})();
