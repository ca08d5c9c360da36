// Follows a pack job: polls its status and moves the progress bar until the download link appears.
// Every word it shows comes from the page's data-*-text attributes, so it speaks the page's language.
(function () {
  "use strict";
  var box = document.getElementById("pack-progress");
  if (!box) { return; }
  var bar = document.getElementById("pack-bar");
  var message = document.getElementById("pack-message");
  var download = document.getElementById("pack-download");
  var retry = document.getElementById("pack-retry");
  var url = box.getAttribute("data-status-url");
  var status = box.getAttribute("data-status");
  if (status === "finished" || status === "failed") { return; }

  function text(name) {
    // Without the attribute, keep what the server wrote rather than show nothing.
    return box.getAttribute(name) || message.textContent;
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.setTimeout(poll, 3000); return; }
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (job.status === "finished") {
          message.textContent = text("data-ready-text");
          download.hidden = false;
          document.getElementById("pack-download-link").focus();
          return;
        }
        if (job.status === "failed") {
          // What to do about it, not the worker's exception (that stays in the API's job status and the logs).
          // A document at fault is named, with what to do (the server words it in the reader's language).
          message.textContent = job.advice || text("data-failed-text");
          if (retry) { retry.hidden = false; }
          return;
        }
        if (job.status === "queued") {
          // A queued job with a message is one the worker will try again after an error.
          message.textContent = text(job.message ? "data-retrying-text" : "data-waiting-text");
        } else {
          message.textContent = (job.message || text("data-working-text")) + " (" + job.progress + "%)";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
