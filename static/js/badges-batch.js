/* Batch badges: fetch the PDF while the page says what is happening (a large event takes
   a while), then save it. Without JavaScript the form is a plain download. */
(function () {
  "use strict";
  var form = document.getElementById("badge-batch");
  if (!form || !window.fetch || !window.URL || !URL.createObjectURL) { return; }
  var button = form.querySelector("button[type=submit]");
  var working = form.querySelector(".batch-status__working");
  var clock = form.querySelector(".batch-status__clock");
  var text = form.querySelector(".batch-status__text");
  var language = document.documentElement.lang || undefined;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function say(template, values) { text.textContent = fill(template, values); }

  function badgeCount() {
    var ticked = form.querySelectorAll("input[name=category]:checked");
    if (!ticked.length) { return Number(form.dataset.total); }
    var sum = 0;
    ticked.forEach(function (box) { sum += Number(box.dataset.count); });
    return sum;
  }

  function fileName(response) {
    var found = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return found ? found[1] : "badges.pdf";
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) { return; }
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    // With "confirmed since" the page cannot know the count ahead: the answer says it.
    var since = form.querySelector("input[name=since]");
    var count = (since && since.value ? "≤ " : "") + badgeCount().toLocaleString(language);
    var started = Date.now();
    function seconds() { return Math.round((Date.now() - started) / 1000); }
    function tick() { clock.textContent = fill(form.dataset.msgClock, { seconds: seconds() }); }
    var timer = setInterval(tick, 1000);
    button.disabled = true;
    tick();
    working.hidden = false;
    say(form.dataset.msgPreparing, { count: count });
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/pdf") !== 0) {
          // Signed out meanwhile, or an error page: let the browser show it as usual.
          window.location.assign(url);
          throw new Error("HTTP " + response.status);
        }
        return response.blob().then(function (blob) {
          var name = fileName(response);
          var made = response.headers.get("X-Badge-Count");
          if (made !== null) { count = Number(made).toLocaleString(language); }
          save(blob, name);
          say(form.dataset.msgDone, { file: name, count: count, seconds: seconds() });
        });
      })
      .catch(function (error) {
        say(form.dataset.msgFailed, { reason: error.message });
      })
      .then(function () {
        clearInterval(timer);
        working.hidden = true;
        button.disabled = false;
      });
  });
})();
