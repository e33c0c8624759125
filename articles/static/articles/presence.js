// Editing together: while an article is open, poll who else has it open and whether someone
// saved a newer version (then link to the diff). A file, not inline script (CSP).
(function () {
  "use strict";
  var POLL_MS = 15000;

  function poll(box) {
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    var body = new URLSearchParams();
    body.set("loaded_version", box.dataset.loadedVersion || "");
    fetch(box.dataset.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (state) show(box, state);
    }).catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function show(box, state) {
    box.textContent = "";
    if (state.others && state.others.length) {
      var open = document.createElement("span");
      open.className = "presence-others";
      open.textContent = "Also open by " + state.others.join(", ") + ". ";
      box.appendChild(open);
    }
    if (state.newer) {
      var note = document.createElement("strong");
      note.className = "presence-newer";
      note.textContent = "Version " + state.newer.version + " was saved by " + state.newer.saved_by +
        " after you opened this page; saving now would be refused. ";
      var link = document.createElement("a");
      link.href = state.newer.diff_url;
      link.textContent = "See what changed";
      box.appendChild(note);
      box.appendChild(link);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("presence");
    if (!box || !window.fetch) return;
    poll(box);
    window.setInterval(function () { poll(box); }, POLL_MS);
  });
})();
