/* The door scanner offline (#19): a copy of what judges a badge (GET /api/checkin/sync,
   refreshed every few seconds while online), kept in IndexedDB with the queue of scans
   made offline, which are uploaded in order (POST /api/checkin/upload) when the network
   returns. The judging mirrors services/checkin/rules.py; every word shown comes from the
   page (server-translated), as for online scans. Exposes window.CheckinOffline. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root || !window.indexedDB || !window.crypto || !window.crypto.subtle) { return; }
  var messages = JSON.parse(root.dataset.messages);
  var statusLine = document.getElementById("offline-status");
  var notes = document.getElementById("sync-notes");
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var MAC_BYTES = 10;
  var state = { cursor: null, synced: null, events: {}, rows: {}, byHash: {}, keys: {} };
  var queued = 0;
  var online = navigator.onLine;
  var dbPromise = new Promise(function (resolve, reject) {
    var open = window.indexedDB.open("checkin-offline", 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore("meta");
      open.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });

  function store(name, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result instanceof IDBRequest ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function b64(bytes) {
    var text = "";
    new Uint8Array(bytes).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_");
  }
  function unb64(text) {
    text = text.replace(/-/g, "+").replace(/_/g, "/");
    while (text.length % 4) { text += "="; }
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  function index() {
    state.byHash = {};
    Object.keys(state.rows).forEach(function (id) { state.byHash[state.rows[id].hash] = state.rows[id]; });
    state.keys = {};
    return Promise.all(Object.keys(state.events).map(function (id) {
      return crypto.subtle.importKey("raw", unb64(state.events[id].key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
        .then(function (key) { state.keys[id] = key; });
    }));
  }

  function showStatus() {
    if (!statusLine) { return; }
    var parts = [online ? messages.online : messages.offline];
    if (state.synced) {
      parts.push(messages.last_sync.replace("{time}", new Date(state.synced).toLocaleTimeString(document.documentElement.lang || undefined)));
    }
    parts.push(messages.queued.replace("{count}", String(queued)));
    statusLine.textContent = parts.join(" · ");
    statusLine.className = "offline-status offline-status--" + (online ? "online" : "offline");
  }

  function countQueue() {
    return store("queue", "readonly", function (s) { return s.count(); }).then(function (n) { queued = n; showStatus(); });
  }

  function sync() {
    var url = root.dataset.sync + (state.cursor ? "?since=" + encodeURIComponent(state.cursor) : "");
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error("sync"); } return response.json(); })
      .then(function (data) {
        if (data.full) { state.rows = {}; }
        data.events.forEach(function (e) { state.events[e.id] = e; });
        data.rows.forEach(function (values) {
          var row = {};
          data.fields.forEach(function (f, i) { row[f] = values[i]; });
          var old = state.rows[row.id];
          if (old && old.local_in && !row["in"]) { row.local_in = old.local_in; }
          state.rows[row.id] = row;
        });
        state.cursor = data.cursor;
        state.synced = data.synced_at;
        online = true;
        return store("meta", "readwrite", function (s) {
          s.put({ cursor: state.cursor, synced: state.synced, events: state.events, rows: state.rows }, "copy");
        });
      })
      .then(index)
      .catch(function () { online = false; })
      .then(showStatus);
  }

  function decode(code) {
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < code.length; i++) {
      var v = ALPHABET.indexOf(code[i]);
      if (v < 0) { return null; }
      value = (value << 5) | v; bits += 5;
      if (bits >= 8) { bits -= 8; out.push((value >> bits) & 255); }
    }
    return new Uint8Array(out);
  }
  function uvarints(bytes, count) {
    var values = [], pos = 0;
    while (values.length < count) {
      var v = 0, shift = 0, b;
      do { if (pos >= bytes.length) { return null; } b = bytes[pos++]; v += (b & 127) * Math.pow(2, shift); shift += 7; } while (b & 128);
      values.push(v);
    }
    return pos === bytes.length ? values : null;
  }
  function spellings(text) {
    var code = text.replace(/[\s-]/g, "").toUpperCase().replace(/0/g, "O");
    var list = [""];
    if ((code.match(/1/g) || []).length > 8) { return [code]; }
    for (var i = 0; i < code.length; i++) {
      var options = code[i] === "1" ? ["I", "L"] : [code[i]];
      list = [].concat.apply([], list.map(function (s) { return options.map(function (o) { return s + o; }); }));
    }
    return list;
  }

  /* The claim in the code and the copy's row, as services/checkin/rules.judge reads them. */
  function lookup(text) {
    var tries = spellings(text).map(function (code) {
      var raw = code.length >= 16 && code.length <= 48 ? decode(code) : null;
      var claim = raw && raw.length > MAC_BYTES ? uvarints(raw.slice(0, raw.length - MAC_BYTES), 3) : null;
      if (!claim || !state.keys[claim[0]]) { return Promise.resolve({ claim: claim, row: null }); }
      return crypto.subtle.sign("HMAC", state.keys[claim[0]], raw).then(function (mac) {
        return { claim: claim, row: state.byHash[b64(mac.slice(0, 9))] || null };
      });
    });
    return Promise.all(tries).then(function (found) {
      return found.filter(function (f) { return f.row; })[0] || found.filter(function (f) { return f.claim; })[0] || { claim: null, row: null };
    });
  }

  function judge(text, now) {
    return lookup(text).then(function (found) {
      var row = found.row;
      if (!found.claim) { return { result: "invalid", reason: "malformed" }; }
      if (!row) {
        var known = state.rows[found.claim[1]];
        if (known && known.event === found.claim[0] && known.serial !== found.claim[2]) {
          return answer("invalid", known, { reason: "revoked" });
        }
        return { result: "invalid", reason: "unknown" };
      }
      var event = state.events[row.event];
      if (event.slug !== root.dataset.event) {
        return answer("wrong_event", row, { badge_event: { slug: event.slug, title: event.title, title_ko: event.title_ko } });
      }
      if (row.status !== "confirmed") { return answer("not_confirmed", row, {}); }
      var first = row["in"] || row.local_in;
      if (first) { return answer("already_checked_in", row, { first_checked_in_at: first }); }
      row.local_in = now;
      return answer("checked_in", row, { first_checked_in_at: now });
    });
  }
  function answer(result, row, extra) {
    var data = { result: result, name: row.name, name_alt: row.name_alt, category: row.category, status: row.status };
    Object.keys(extra).forEach(function (k) { data[k] = extra[k]; });
    return data;
  }

  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* A scan the server could not be asked about: judged here, queued for upload. */
  function scanOffline(text) {
    online = false;
    var now = new Date().toISOString();
    return judge(text, now).then(function (data) {
      var scan = { uuid: uuid(), token: text.trim(), scanned_at: now, event: root.dataset.event };
      return store("queue", "readwrite", function (s) { s.add(scan); })
        .then(function () {
          return store("meta", "readwrite", function (s) {
            s.put({ cursor: state.cursor, synced: state.synced, events: state.events, rows: state.rows }, "copy");
          });
        })
        .then(countQueue).then(function () { data.offline = true; return data; });
    });
  }

  var uploading = false;
  function upload() {
    if (uploading) { return Promise.resolve(); }
    uploading = true;
    return store("queue", "readonly", function (s) { return s.getAll(); }).then(function (scans) {
      if (!scans.length) { return null; }
      var body = { device: root.dataset.location || root.dataset.device, scans: scans.map(function (s) {
        return { uuid: s.uuid, token: s.token, scanned_at: s.scanned_at, event: s.event };
      }) };
      return fetch(root.dataset.upload, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify(body)
      }).then(function (response) {
        if (!response.ok) { throw new Error("upload"); }
        return response.json();
      }).then(function (data) {
        data.scans.forEach(function (a) {
          if (a.also_admitted && notes) {
            var item = document.createElement("li");
            var at = new Date(a.also_admitted.at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.timezone });
            item.textContent = (a.name ? a.name + ": " : "") + messages.also_admitted.replace("{door}", a.also_admitted.location || "?").replace("{time}", at);
            notes.appendChild(item);
          }
        });
        return store("queue", "readwrite", function (s) { scans.forEach(function (q) { s["delete"](q.seq); }); });
      });
    }).catch(function () { return null; }).then(function () { uploading = false; return countQueue(); });
  }

  function tick() {
    return sync().then(function () { if (online) { return upload(); } return null; });
  }

  var ready = store("meta", "readonly", function (s) { return s.get("copy"); }).then(function (saved) {
    if (saved) {
      state.cursor = saved.cursor; state.synced = saved.synced; state.events = saved.events; state.rows = saved.rows;
    }
    return index();
  }).then(countQueue).then(tick);
  window.setInterval(tick, 5000);
  window.addEventListener("online", tick);
  window.addEventListener("offline", function () { online = false; showStatus(); });

  window.CheckinOffline = {
    ready: ready,
    scan: function (text) { return ready.then(function () { return scanOffline(text); }); },
    available: function () { return Object.keys(state.events).length > 0; },
    tick: tick
  };
})();
