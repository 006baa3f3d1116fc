/* Door scanner: camera (BarcodeDetector, else the vendored jsQR) or typed/USB-scanner codes.
   Every code goes to POST /api/checkin; the answer is shown big, in words and colour. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) { return; }
  // The page, its scripts and styles are kept by a service worker: it opens offline.
  if ("serviceWorker" in navigator && root.dataset.worker) {
    navigator.serviceWorker.register(root.dataset.worker, { scope: root.dataset.scope })
      .catch(function () { return null; });
  }
  var messages = JSON.parse(root.dataset.messages);
  var categories = JSON.parse(root.dataset.categories);
  var panel = document.getElementById("result");
  var word = document.getElementById("result-word");
  var nameLine = document.getElementById("result-name");
  var detail = document.getElementById("result-detail");
  var form = document.getElementById("code-form");
  var input = document.getElementById("code");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera");
  var cameraStatus = document.getElementById("camera-status");

  var KINDS = {
    checked_in: "ok", already_checked_in: "warn", invalid: "bad",
    not_confirmed: "bad", wrong_event: "bad", not_admitted: "bad"
  };
  var busy = false;
  var lastCode = "";
  var lastAt = 0;

  function show(kind, text, name, extra, nameLang) {
    panel.className = "result result--" + kind;
    word.textContent = text;
    nameLine.textContent = "";
    if (name) {
      var span = document.createElement("span");
      span.textContent = name;
      nameLine.appendChild(span);
    }
    if (nameLang) {
      var alt = document.createElement("span");
      alt.lang = "ko";
      alt.className = "result__alt";
      alt.textContent = nameLang;
      nameLine.appendChild(alt);
    }
    detail.textContent = extra || "";
  }

  function timeOf(iso) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.timezone
      }).format(new Date(iso));
    } catch (e) {
      return iso;
    }
  }

  function render(status, data) {
    if (status === 401) { show("bad", messages.login, "", ""); return; }
    if (!data || !data.result) { show("bad", messages.error, "", data && data.message); return; }
    var kind = KINDS[data.result] || "bad";
    var parts = [];
    if (data.organization) { parts.push(data.organization); }
    if (data.category) { parts.push(categories[data.category] || data.category); }
    if (data.country) { parts.push(data.country_name || data.country); }
    var text = messages[data.result] || data.result;
    if (data.offline) { text += " · " + messages.offline_scan; }
    if (data.result === "already_checked_in" && data.first_checked_in_at) {
      parts.unshift(messages.first_at.replace("{time}", timeOf(data.first_checked_in_at)));
    } else if (data.result === "invalid" && data.reason === "revoked") {
      parts.unshift(messages.revoked);
    } else if (data.result === "not_admitted" && data.reason) {
      parts.unshift(messages[data.reason] || data.reason);
    } else if (data.result === "not_confirmed" && data.status) {
      parts.unshift(messages["status_" + data.status] || data.status);
    } else if (data.result === "wrong_event" && data.badge_event) {
      parts.unshift(messages.badge_for.replace("{event}", data.badge_event.title));
    }
    var alt = data.name_alt && data.name_alt !== data.name ? data.name_alt : "";
    show(kind, text, data.name || "", parts.join(" · "), alt);
    if (navigator.vibrate) { navigator.vibrate(kind === "ok" ? 80 : [80, 60, 80]); }
  }

  /* The running total where this scanner works: after each scan, and now and then for
     the other doors' scans. */
  var totalIn = document.querySelector('[data-total="checked_in"]');
  var totalExpected = document.querySelector('[data-total="expected"]');

  function refreshTotal() {
    var url = root.dataset.counts;
    if (!url || !totalIn) { return; }
    if (root.dataset.session) { url += "?session=" + encodeURIComponent(root.dataset.session); }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.place) { return; }
        totalIn.textContent = String(data.place.checked_in);
        totalExpected.textContent = String(data.place.expected);
      })
      .catch(function () { return null; });
  }
  window.setInterval(refreshTotal, 30000);

  /* A typed code stays in the field until it checks in, so a typo can be corrected. */
  function settleTyped(data) {
    if (data && (data.result === "checked_in" || data.result === "already_checked_in")) {
      input.value = "";
    } else {
      input.select();
    }
    input.focus();
  }

  function submit(code, fromCamera) {
    code = (code || "").trim();
    if (!code || busy) { return; }
    var now = Date.now();
    // The camera sees the same badge many times a second: one request per badge.
    if (fromCamera && code === lastCode && now - lastAt < 4000) { return; }
    lastCode = code;
    lastAt = now;
    busy = true;
    show("pending", messages.checking, "", "");
    var body = { token: code, event: root.dataset.event };
    if (root.dataset.session) { body.session_id = parseInt(root.dataset.session, 10); }
    if (root.dataset.location) { body.location = root.dataset.location; }
    fetch(root.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": root.dataset.csrf
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        render(response.status, data);
        return data;
      });
    }).catch(function () {
      // No network: judged on the device against the offline copy, queued for upload.
      var offline = window.CheckinOffline;
      if (!offline || !offline.available()) {
        show("bad", messages.network, "", "");
        return null;
      }
      return offline.scan(code).then(function (data) {
        render(200, data);
        return data;
      });
    }).then(function (data) {
      busy = false;
      if (!fromCamera) { settleTyped(data); }
      if (data && data.result) { refreshTotal(); }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.value.trim()) {
      show("bad", messages.empty, "", "");
      input.focus();
      return;
    }
    submit(input.value, false);
  });

  /* Camera */
  var stream = null;
  var detector = null;
  var canvas = null;
  var timer = null;

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root.dataset.jsqr;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function prepareDecoder() {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") >= 0) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return null;
        }
        return loadJsQR();
      });
    }
    return loadJsQR();
  }

  function decodeFrame() {
    if (video.readyState < 2) { return Promise.resolve(null); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var scale = Math.min(1, 640 / (video.videoWidth || 640));
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    if (!width || !height) { return Promise.resolve(null); }
    canvas = canvas || document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var found = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }

  function tick() {
    if (!stream) { return; }
    decodeFrame().then(function (code) {
      if (code) { submit(code, true); }
    }).catch(function () { return null; }).then(function () {
      if (stream) { timer = window.setTimeout(tick, 200); }
    });
  }

  function stopCamera() {
    if (timer) { window.clearTimeout(timer); }
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    toggle.textContent = messages.start_camera;
    toggle.setAttribute("aria-pressed", "false");
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraStatus.textContent = messages.camera_unsupported;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        toggle.textContent = messages.stop_camera;
        toggle.setAttribute("aria-pressed", "true");
        return Promise.all([video.play(), prepareDecoder()]);
      })
      .then(function () {
        cameraStatus.textContent = messages.camera_on;
        tick();
      })
      .catch(function () {
        cameraStatus.textContent = messages.camera_denied;
        stopCamera();
      });
  }

  toggle.addEventListener("click", function () {
    if (stream) { stopCamera(); } else { startCamera(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && stream) { stopCamera(); }
  });
})();
