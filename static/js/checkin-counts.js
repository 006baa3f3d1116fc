/* Live check-in counts: refresh the numbers on the page from the JSON every 15 seconds. */
(function () {
  "use strict";
  var root = document.getElementById("counts");
  if (!root) { return; }
  var updated = document.getElementById("counts-updated");

  function set(key, value) {
    var cell = root.querySelector('[data-count="' + key + '"]');
    if (cell && value !== null && value !== undefined) { cell.textContent = String(value); }
  }

  function refresh() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        set("checked_in", data.checked_in);
        set("confirmed", data.confirmed);
        data.categories.forEach(function (c) {
          set("category-" + c.category + "-checked_in", c.checked_in);
          set("category-" + c.category + "-confirmed", c.confirmed);
        });
        data.sessions.forEach(function (s) {
          set("session-" + s.id + "-checked_in", s.checked_in);
          if (s.signed_up !== null) { set("session-" + s.id + "-signed_up", s.signed_up); }
        });
        updated.textContent = new Date().toLocaleTimeString();
      })
      .catch(function () { return null; });
  }

  window.setInterval(refresh, 15000);
})();
