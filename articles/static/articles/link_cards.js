// Link review cards on the article page: j / k move between cards, a accepts and r rejects
// the card in focus (each a plain POST form; the page comes back on the decided card).
// A file, not inline script: the site's Content-Security-Policy allows scripts from itself only.
(function () {
  "use strict";

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-link-card]"));
  }

  function current() {
    var active = document.activeElement;
    return active ? active.closest("[data-link-card]") : null;
  }

  function focusCard(card) {
    if (!card) return;
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
    focusCard(all[Math.max(0, Math.min(all.length - 1, next))]);
  }

  function decide(decision) {
    var card = current();
    if (!card) return;
    var button = card.querySelector('button[data-decision="' + decision + '"]');
    if (button) button.click();
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (!document.querySelector("[data-link-cards]")) return;
    var actions = { j: function () { move(1); }, k: function () { move(-1); },
      a: function () { decide("accept"); }, r: function () { decide("reject"); } };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // Select2 (the admin's autocomplete) shows the choice in a role="textbox" span that takes no
  // name from its select: give it the select's label.
  function nameAutocompletes() {
    var boxes = document.querySelectorAll('.select2-selection__rendered[role="textbox"]');
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.getAttribute("aria-label")) return;
      var id = (box.id || "").replace(/^select2-/, "").replace(/-container$/, "");
      var select = id ? document.getElementById(id) : null;
      var label = select && (select.getAttribute("aria-label") ||
        (select.labels && select.labels[0] && select.labels[0].textContent.trim()));
      if (label) box.setAttribute("aria-label", label);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameAutocompletes();
    // Select2 builds its boxes when jQuery is ready and again for each new inline row.
    new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Back from a decision ("#decided-<kind>-<id>", an address no element holds, so the
    // browser moves no focus itself): focus the next card awaiting one, else the decided card.
    var hash = window.location.hash;
    if (hash.indexOf("#decided-") !== 0) return;
    var decided = document.getElementById("card-" + hash.slice("#decided-".length));
    var pending = cards().filter(function (card) { return card.dataset.pending === "1"; });
    focusCard(pending[0] || decided);
  });
})();
