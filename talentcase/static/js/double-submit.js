// One click, one request: a second submit of the same POST form within a second is ignored (a double click on its
// button, Enter pressed twice). The GOV.UK Design System's "prevent double click" (govuk-frontend's Button,
// data-prevent-double-click), applied here to every POST form of every page, so no template has to ask for it.
// It only debounces: nothing is disabled, so after that second the form can be sent again, e.g. when the answer was a
// download or the browser stayed on the page. A form that must be sent twice in a row can carry
// data-allow-double-submit (none does today). Without JavaScript the forms submit as they always did.
(function () {
  "use strict";
  var WINDOW_MS = 1000;
  var sentAt = new WeakMap();

  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }

  // From the attributes: form.method would be a field of the form, were one named "method".
  function isPost(form, submitter) {
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    return method.toLowerCase() === "post";
  }

  // On the document, after the form's own listeners: a submit one of them cancelled was never sent, so it starts no
  // window.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    if (!isPost(form, event.submitter) || form.hasAttribute("data-allow-double-submit")) { return; }
    var last = sentAt.get(form);
    var at = now();
    if (last !== undefined && at - last < WINDOW_MS) {
      event.preventDefault();
      return;
    }
    sentAt.set(form, at);
  });

  // A page brought back from the back-forward cache starts afresh: its forms were not just sent.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { sentAt = new WeakMap(); }
  });
})();
