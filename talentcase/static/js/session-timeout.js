// The GOV.UK "You are about to be signed out" warning: the dialog in templates/accounts/_session_timeout.html shows
// data-warning-seconds before the idle limit, takes the focus (and keeps it while open: Tab cycles inside it), and
// offers "Stay signed in" (a POST that moves the server's idle clock on; Escape does the same) or "Sign out". Left
// alone, the page goes to its own address when the limit passes, where the server says why the person was signed out.
// Without JavaScript the dialog stays hidden and the server still ends the idle session.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || !window.fetch || !window.FormData) { return; }
  var keepForm = dialog.querySelector("form[data-session-keep]");
  var idle = Number(dialog.getAttribute("data-idle-seconds"));
  var warning = Number(dialog.getAttribute("data-warning-seconds"));
  var warnTimer, endTimer, focusedBefore;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(show, Math.max(0, idle - warning) * 1000);
    endTimer = setTimeout(signedOut, idle * 1000);
  }

  function signedOut() {
    window.location.assign(window.location.pathname + window.location.search);
  }

  function focusable() {
    return Array.prototype.slice.call(dialog.querySelectorAll("button"));
  }

  function onKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      stay();
    } else if (event.key === "Tab") {
      var items = focusable();
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  function show() {
    focusedBefore = document.activeElement;
    dialog.hidden = false;
    document.body.classList.add("timeout-open");
    dialog.focus();
    document.addEventListener("keydown", onKey);
  }

  function hide() {
    dialog.hidden = true;
    document.body.classList.remove("timeout-open");
    document.removeEventListener("keydown", onKey);
    if (focusedBefore && focusedBefore.focus) { focusedBefore.focus(); }
  }

  function stay() {
    fetch(keepForm.action, {
      method: "POST",
      body: new FormData(keepForm),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      // A redirect (to sign-in) means the session had already ended: show the page that says so.
      if (response.ok && !response.redirected) {
        hide();
        schedule();
      } else {
        signedOut();
      }
    }, function () {
      keepForm.submit();  // no answer: the plain form still moves the clock on
    });
  }

  keepForm.addEventListener("submit", function (event) {
    event.preventDefault();
    stay();
  });
  schedule();
})();
