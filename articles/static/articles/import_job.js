// The import job's page follows the worker: it polls the job's progress endpoint (JSON) and
// updates the state, the progress bar, the counts and the pages' reports. No inline script.
(function () {
  "use strict";
  function start() {
    var root = document.querySelector(".import-job[data-progress-url]");
    if (!root || root.dataset.over === "true") return;
    var url = root.dataset.progressUrl;
    var lastPages = null;
    function set(id, text) {
      var el = document.getElementById(id);
      if (el && el.textContent !== String(text)) el.textContent = text;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("progress " + response.status);
          return response.json();
        })
        .then(function (data) {
          set("job-state", data.state_label);
          var state = document.getElementById("job-state");
          if (state) state.className = "job-state job-state-" + data.state;
          var bar = document.getElementById("job-progress");
          if (bar) { bar.max = data.total; bar.value = data.done; bar.textContent = data.done + " of " + data.total; }
          set("job-progress-text", data.done + " of " + data.total);
          Object.keys(data.counts).forEach(function (key) { set("job-count-" + key, data.counts[key]); });
          if (data.pages_html !== lastPages) {
            document.getElementById("job-pages").innerHTML = data.pages_html;
            lastPages = data.pages_html;
          }
          if (data.over) {
            root.dataset.over = "true";
            if (data.can_retry) window.location.reload(); // brings the Retry button
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
