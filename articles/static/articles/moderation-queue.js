/* The moderation queue's keyboard: j/k move between comments, a approve, r reject, s spam,
   1-6 choose a reason, Escape cancel a reject or spam still waiting for its reason, u undo the
   last decision (while the server still allows it).
   Every key presses one of the page's own buttons, so the server decides exactly as it does
   for a click; nothing here is needed to moderate. No inline script: this file is all. */
(function () {
  "use strict";

  var current = null;
  var pendingAction = null;

  function rows() {
    return Array.prototype.filter.call(
      document.querySelectorAll("#result_list tbody tr"),
      function (row) { return row.querySelector(".decide") !== null; }
    );
  }

  function say(text) {
    var status = document.getElementById("queue-status");
    if (status) { status.textContent = text; }
  }

  function reveal(row) {
    // The queue's tools stay pinned at the top on wide screens: keep the row below them.
    var tools = document.querySelector(".queue-tools");
    var covered = 0;
    if (tools && window.getComputedStyle(tools).position === "sticky") {
      covered = tools.getBoundingClientRect().height;
    }
    var top = row.getBoundingClientRect().top;
    if (top < covered + 8 || top > window.innerHeight - 80) {
      window.scrollBy(0, top - covered - 8);
    }
  }

  function focusRow(row) {
    if (!row) { return; }
    rows().forEach(function (other) { other.classList.remove("current"); });
    row.classList.add("current");
    row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    reveal(row);
    current = row;
    pendingAction = null;
  }

  function move(step) {
    var all = rows();
    if (!all.length) { say("No comments on this page."); return; }
    var index = all.indexOf(current);
    var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    focusRow(all[next]);
  }

  function button(row, status) {
    return row.querySelector('.decide button[value$=":' + status + '"]');
  }

  function reasonSelect(row) {
    return row.querySelector(".decide select");
  }

  function reasonList(select) {
    var names = [];
    for (var i = 1; i < select.options.length; i += 1) {
      names.push(i + " " + select.options[i].text.toLowerCase());
    }
    return names.join(", ");
  }

  function decide(status) {
    if (!current) { move(0); }
    if (!current) { return; }
    var target = button(current, status);
    if (!target) { say("This comment is already " + status + "."); return; }
    var select = reasonSelect(current);
    if (status !== "approved" && select && !select.value) {
      pendingAction = status;
      target.classList.add("chosen");
      current.querySelector(".decide").setAttribute("data-chosen", status);
      say("Choose a reason: " + reasonList(select) + ".");
      return;
    }
    target.click();
  }

  function chooseReason(number) {
    if (!current) { move(0); }
    if (!current) { return; }
    var select = reasonSelect(current);
    if (!select || number >= select.options.length) { return; }
    select.selectedIndex = number;
    say("Reason: " + select.options[number].text + ".");
    if (pendingAction) { decide(pendingAction); }
  }

  function cancel() {
    if (!current || !pendingAction) { return; }
    Array.prototype.forEach.call(current.querySelectorAll(".decide .chosen"), function (b) {
      b.classList.remove("chosen");
    });
    current.querySelector(".decide").setAttribute("data-chosen", "");
    pendingAction = null;
    say("Cancelled: nothing was decided on this comment.");
  }

  function undo() {
    var form = document.getElementById("undo-form");
    if (form) { form.submit(); return; }
    say("Nothing to undo: only your last decision, while it is fresh, can be undone.");
  }

  function typing(element) {
    if (!element) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var active = document.activeElement;
    if (typing(active)) {
      if (event.key === "Escape" && current) { focusRow(current); }
      if (event.key === "Enter" && pendingAction && current && current.contains(active)) {
        event.preventDefault();
        decide(pendingAction);
      }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "Escape": cancel(); break;
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": decide("approved"); break;
      case "r": decide("rejected"); break;
      case "s": decide("spam"); break;
      case "u": undo(); break;
      default:
        if (/^[1-9]$/.test(event.key)) { chooseReason(Number(event.key)); } else { handled = false; }
    }
    if (handled) { event.preventDefault(); }
  }

  function start() {
    var all = rows();
    if (!all.length) { return; }
    var anchor = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var row = anchor ? anchor.closest("tr") : null;
    var chosen = document.querySelector('#result_list .decide[data-chosen]:not([data-chosen=""])');
    focusRow(chosen ? chosen.closest("tr") : row || all[0]);
    if (chosen) {
      // A refused decision: its action stays chosen, so a reason key (1-6) completes it.
      pendingAction = chosen.getAttribute("data-chosen");
      var select = reasonSelect(current);
      if (select) { say("Choose a reason: " + reasonList(select) + "."); }
    }
    if (!chosen) {
      // What the last decision did (the admin's message sits above the page, scrolled out of
      // view by the jump to the next comment): repeated in the status line, which stays in view.
      // (The undo line already names a decision that can still be undone.)
      var shown = document.querySelector(".messagelist li");
      if (shown && !document.getElementById("undo-form")) { say(shown.textContent.trim()); }
    }
    // The browser's own jump to the #comment-N anchor may come after this script: the row is
    // put below the pinned tools again once the page has loaded.
    window.addEventListener("load", function () { if (current) { reveal(current); } });
    document.addEventListener("keydown", onKey);
    all.forEach(function (each) {
      each.addEventListener("click", function (event) {
        if (!typing(event.target)) { current = each; all.forEach(function (r) { r.classList.remove("current"); }); each.classList.add("current"); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
