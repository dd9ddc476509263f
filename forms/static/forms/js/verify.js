/* Computes the SHA-256 of a chosen file in the browser (the file is not uploaded) and fills the field. */
(function () {
  "use strict";
  var box = document.querySelector("[data-hash-file]");
  var field = document.getElementById("id_sha256");
  if (!box || !field || !window.crypto || !window.crypto.subtle) { return; }
  box.hidden = false;
  box.querySelector("input").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    file.arrayBuffer().then(function (buffer) {
      return window.crypto.subtle.digest("SHA-256", buffer);
    }).then(function (digest) {
      field.value = Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  });
}());
