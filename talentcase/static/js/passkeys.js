// Passkeys (WebAuthn) for the two-factor pages: the server sends the options as JSON, the browser's authenticator
// answers, and the answer goes back in an ordinary form post. Without WebAuthn the passkey forms stay hidden.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) { return { type: item.type, id: toBytes(item.id), transports: item.transports }; });
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toBase64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : undefined;
    }
    return JSON.stringify(json);
  }

  function fetchOptions(form) {
    return fetch(form.dataset.options, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrf_token.value, "Accept": "application/json" }
    }).then(function (answer) {
      if (!answer.ok) { throw new Error("options " + answer.status); }
      return answer.json();
    });
  }

  function create(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: options });
  }

  function get(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: options });
  }

  function wire(form, ask) {
    if (!form) { return; }
    form.hidden = false;
    var error = form.querySelector("#passkey-error");
    form.addEventListener("submit", function (event) {
      if (form.elements.credential.value) { return; }  // the answer is in: let the post go
      event.preventDefault();
      if (error) { error.hidden = true; }
      fetchOptions(form).then(ask).then(function (credential) {
        form.elements.credential.value = credentialJSON(credential);
        form.submit();
      }).catch(function () {
        if (error) { error.hidden = false; }
      });
    });
  }

  if (window.PublicKeyCredential && navigator.credentials) {
    wire(document.getElementById("passkey-register"), create);
    wire(document.getElementById("passkey-login"), get);
  }

  var print = document.getElementById("print-codes");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
