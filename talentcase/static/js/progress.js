// Follows a pack job: polls its status and moves the progress bar until the download link appears.
(function () {
  "use strict";
  var box = document.getElementById("pack-progress");
  if (!box) { return; }
  var bar = document.getElementById("pack-bar");
  var message = document.getElementById("pack-message");
  var download = document.getElementById("pack-download");
  var error = document.getElementById("pack-error");
  var url = box.getAttribute("data-status-url");
  var status = box.getAttribute("data-status");
  if (status === "finished" || status === "failed") { return; }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.setTimeout(poll, 3000); return; }
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (job.status === "finished") {
          message.textContent = box.getAttribute("data-ready-text") || "The pack is ready.";
          download.hidden = false;
          document.getElementById("pack-download-link").focus();
          return;
        }
        if (job.status === "failed") {
          message.textContent = "The pack could not be made.";
          error.textContent = job.error || "";
          error.hidden = false;
          return;
        }
        message.textContent = (job.message || "Working…") + " (" + job.progress + "%)";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
