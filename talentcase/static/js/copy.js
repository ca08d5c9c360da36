// "Copy" buttons: a button with data-copy="ID" copies the value of the field with that id and says so in the
// page's data-copy-status region. The buttons stay hidden without JavaScript (the field can still be selected).
(function () {
  "use strict";

  function say(button, key) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = status.getAttribute(key) || "";
    }
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(
        function () { say(button, "data-copied"); },
        function () { say(button, "data-failed"); }
      );
    } else {
      say(button, document.execCommand && document.execCommand("copy") ? "data-copied" : "data-failed");
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
