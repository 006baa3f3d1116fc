/* The door scanner offline (#19): a copy of what judges a badge (GET /api/checkin/sync,
   refreshed every few seconds while online), kept in IndexedDB with the queue of scans
   made offline, which are uploaded in order (POST /api/checkin/upload) when the network
   returns. The rule is not copied here: the page carries services/checkin/rules.STEPS
   (data-rules) and this file only works out the named facts from the copy; the words
   shown come from the page (web/door.py), as for online scans; Hangul-mode keys are read
   back with the server's own 2-beolsik tables. Exposes window.CheckinOffline. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root || !window.indexedDB || !window.crypto || !window.crypto.subtle) { return; }
  var messages = JSON.parse(root.dataset.messages);
  var rules = JSON.parse(root.dataset.rules);
  var statusLine = document.getElementById("offline-status");
  var notes = document.getElementById("sync-notes");
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var MAC_BYTES = 10;
  var state = {
    cursor: null, synced: null, events: {}, rows: {}, others: {}, sessions: {}, countries: {},
    byHash: {}, keys: {}
  };
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

  /* Every hash the copy knows: the current badge of a row, and the badges it replaced. */
  function index() {
    state.byHash = {};
    [state.rows, state.others].forEach(function (rows) {
      Object.keys(rows).forEach(function (id) {
        var row = rows[id];
        state.byHash[row.hash] = { row: row, revoked: false };
        (row.old || []).forEach(function (hash) { state.byHash[hash] = { row: row, revoked: true }; });
      });
    });
    state.keys = {};
    return Promise.all(Object.keys(state.events).map(function (id) {
      return crypto.subtle.importKey("raw", unb64(state.events[id].key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
        .then(function (key) { state.keys[id] = key; });
    }));
  }

  function save() {
    return store("meta", "readwrite", function (s) {
      s.put({
        cursor: state.cursor, synced: state.synced, events: state.events, rows: state.rows,
        others: state.others, sessions: state.sessions, countries: state.countries
      }, "copy");
    });
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
        if (data.full) { state.rows = {}; state.others = {}; state.events = {}; }
        data.events.forEach(function (e) { state.events[e.id] = e; });
        function rows(fields, list, into) {
          list.forEach(function (values) {
            var row = {};
            fields.forEach(function (f, i) { row[f] = values[i]; });
            var old = into[row.id];
            if (old && old.local_in && !row["in"]) { row.local_in = old.local_in; }
            if (old && old.local_at) { row.local_at = old.local_at; }
            into[row.id] = row;
          });
        }
        rows(data.fields, data.rows, state.rows);
        rows(data.other_fields || [], data.other_rows || [], state.others);
        state.sessions = {};
        (data.sessions || []).forEach(function (s) {
          state.sessions[s[0]] = { id: s[0], event: s[1], refusal: s[2], seats: s[3] };
        });
        Object.keys(data.countries || {}).forEach(function (c) { state.countries[c] = data.countries[c]; });
        state.cursor = data.cursor;
        state.synced = data.synced_at;
        online = true;
        return save();
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
  /* What a USB scanner typed with the keyboard in Hangul mode, read back as the keys
     pressed (services/badges.normalize_token, with its tables from data-rules). */
  var HANGUL = rules.hangul;
  function keysTyped(ch) {
    var code = ch.charCodeAt(0) - 0xAC00;
    if (code >= 0 && code < 11172) {
      var jamo = HANGUL.initials[Math.floor(code / 588)] + HANGUL.medials[Math.floor((code % 588) / 28)] + HANGUL.finals[code % 28];
      return jamo.split("").map(keysTyped).join("");
    }
    return Object.prototype.hasOwnProperty.call(HANGUL.jamo, ch) ? HANGUL.jamo[ch] : ch;
  }
  function normalize(text) {
    var typed = text.replace(/\s/g, "").split("").map(keysTyped).join("");
    return typed.replace(/-/g, "").toUpperCase().replace(/0/g, "O");
  }
  function spellings(text) {
    var code = normalize(text);
    var list = [""];
    var ones = (code.match(/1/g) || []).length;
    if (!ones || ones > 8) { return [code]; }
    for (var i = 0; i < code.length; i++) {
      var options = code[i] === "1" ? ["I", "L"] : [code[i]];
      list = [].concat.apply([], list.map(function (s) { return options.map(function (o) { return s + o; }); }));
    }
    return list;
  }

  /* The copy's entry for a code: the row whose badge (current or replaced) it is. A code
     that matches no hash is forged or unknown: the server would say "not a valid badge". */
  function lookup(text) {
    var tries = spellings(text).map(function (code) {
      var raw = code.length >= 16 && code.length <= 48 ? decode(code) : null;
      var claim = raw && raw.length > MAC_BYTES ? uvarints(raw.slice(0, raw.length - MAC_BYTES), 3) : null;
      if (!claim || !state.keys[claim[0]]) { return Promise.resolve(null); }
      return crypto.subtle.sign("HMAC", state.keys[claim[0]], raw).then(function (mac) {
        return state.byHash[b64(mac.slice(0, 9))] || null;
      });
    });
    return Promise.all(tries).then(function (found) {
      return found.filter(function (f) { return f; })[0] || null;
    });
  }

  /* The named facts of services/checkin/rules.facts, from the copy, at this door. */
  function facts(found, door) {
    var row = found && found.row;
    var session = door.session ? state.sessions[door.session] : null;
    var refusal = null;
    if (row && session) {
      refusal = session.refusal ||
        (session.seats && session.seats.indexOf(row.id) < 0 ? "no_seat" : null);
    }
    var seen = null;
    if (row && session) {
      var at = (row.at || []).filter(function (a) { return a[0] === session.id; })[0];
      seen = (at && at[1]) || (row.local_at || {})[session.id] || null;
    } else if (row) {
      seen = row["in"] || row.local_in || null;
    }
    var event = row ? state.events[row.event] : null;
    return {
      unreadable: !row,
      unknown: false,  // a deleted registration's badge matches no hash: "unreadable"
      revoked: !!(found && found.revoked),
      other_event: !!event && event.slug !== door.event,
      not_confirmed: !!row && row.status !== "confirmed",
      session_refuses: refusal,
      seen_before: seen
    };
  }

  /* rules.STEPS, walked as rules.judge walks it: the first fact that holds decides. */
  function decide(known) {
    for (var i = 0; i < rules.steps.length; i++) {
      var step = rules.steps[i], value = known[step[0]];
      if (value) { return { result: step[1], reason: step[2] || (typeof value === "string" ? value : null) }; }
    }
    return { result: rules.admit, reason: null };
  }

  function judge(text, now, door) {
    return lookup(text).then(function (found) {
      var known = facts(found, door);
      var decided = decide(known);
      var data = { result: decided.result };
      if (decided.reason) { data.reason = decided.reason; }
      var row = found && found.row;
      if (!row) { return data; }
      var event = state.events[row.event];
      if (event.door) {  // the person is named to the staff of their own event only
        data.name = row.name; data.name_alt = row.name_alt; data.organization = row.org;
        data.country = row.country; data.country_name = state.countries[row.country] || null;
        data.category = row.category; data.status = row.status;
      }
      if (decided.result === "already_checked_in") { data.first_checked_in_at = known.seen_before; }
      if (decided.result === rules.admit) {
        data.first_checked_in_at = now;
        if (door.session) {
          row.local_at = row.local_at || {};
          row.local_at[door.session] = now;
        } else {
          row.local_in = now;
        }
      }
      if (decided.result === "wrong_event") {
        data.badge_event = { slug: event.slug, title: event.title, title_ko: event.title_ko };
      }
      return data;
    });
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
    var door = { event: root.dataset.event, session: root.dataset.session ? parseInt(root.dataset.session, 10) : null };
    return judge(text, now, door).then(function (data) {
      var scan = { uuid: uuid(), token: text.trim(), scanned_at: now, event: door.event, session_id: door.session };
      return store("queue", "readwrite", function (s) { s.add(scan); })
        .then(save)
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
        var item = { uuid: s.uuid, token: s.token, scanned_at: s.scanned_at, event: s.event };
        if (s.session_id) { item.session_id = s.session_id; }
        return item;
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
      state.others = saved.others || {}; state.sessions = saved.sessions || {}; state.countries = saved.countries || {};
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
    tick: tick,
    // For the tests: the rule walk and the key mapping, alone.
    decide: decide,
    normalize: normalize,
    factNames: function () { return Object.keys(facts(null, { event: "" })); }
  };
})();
