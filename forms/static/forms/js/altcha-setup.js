/* The ALTCHA widget without inline code: register the PBKDF2 worker, served by this site like the
   widget itself (forms/static/forms/vendor/altcha), so the page's CSP stays "script-src 'self'". */
(function () {
  "use strict";
  var workerUrl = document.currentScript && document.currentScript.getAttribute("data-worker");
  if (!workerUrl || !window.$altcha) { return; }
  window.$altcha.algorithms.set("PBKDF2/SHA-256", function () { return new Worker(workerUrl); });
}());
