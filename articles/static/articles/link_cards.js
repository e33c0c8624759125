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

  document.addEventListener("DOMContentLoaded", function () {
    // Back from a decision: focus the next card awaiting one, else the decided card.
    var hash = window.location.hash;
    var decided = hash && hash.indexOf("#card-") === 0 ? document.getElementById(hash.slice(1)) : null;
    if (!decided) return;
    var pending = cards().filter(function (card) { return card.dataset.pending === "1"; });
    focusCard(pending[0] || decided);
  });
})();
