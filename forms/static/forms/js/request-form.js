/*
 * The request form, progressively enhanced. Everything but the signature works without this script.
 * No inline code anywhere: the public pages run under a Content-Security-Policy without 'unsafe-inline'.
 * Loaded last, with defer, after the modules it wires up (templates/forms/request_form_page.html, in this order):
 * thai-dates.js (window.cctvForms.dates), calendar.js (.Calendar), signature_pad and signature.js (.setUpSignature).
 * A module that did not arrive (a slow phone's dropped request) leaves only its own part out.
 */
(function () {
  "use strict";

  var forms = window.cctvForms = window.cctvForms || {};

  /* ---- Purpose: the number of files only matters for copies ---------------------------------- */

  function setUpFileCount(form) {
    var wrapper = form.querySelector("[data-file-count]");
    var radios = form.querySelectorAll("input[name='request_type']");
    if (!wrapper || !radios.length) { return; }
    var input = wrapper.querySelector("input");
    function update() {
      var needs = Array.prototype.some.call(radios, function (r) {
        return r.checked && r.hasAttribute("data-needs-file-count");
      });
      wrapper.hidden = !needs;
      if (input) { input.setAttribute("aria-required", needs ? "true" : "false"); }
    }
    Array.prototype.forEach.call(radios, function (r) { r.addEventListener("change", update); });
    update();
  }

  /* ---- "Other title" only when the title is "other" -------------------------------------------- */

  function setUpTitle(form) {
    var title = form.querySelector("select[name='title']");
    var other = form.querySelector("[data-field='title_other']");
    if (!title || !other) { return; }
    function update() { other.hidden = title.value !== "other"; }
    title.addEventListener("change", update);
    update();
  }

  /* ---- Station -> its cameras, and the overwrite warning --------------------------------------- */

  function setUpStation(form) {
    var station = form.querySelector("[data-station-select]");
    var cameras = form.querySelector("[data-camera-select]");
    var incident = form.querySelector("[data-incident-date]");
    var warning = form.querySelector("[data-retention-warning]");
    if (!station) { return; }
    var dates = forms.dates;
    var allCameras = cameras ? Array.prototype.slice.call(cameras.options) : [];
    var cameraField = cameras ? cameras.closest(".field") : null;

    function updateCameras() {
      if (!cameras) { return; }
      var chosen = station.value;
      allCameras.forEach(function (option) {
        var belongs = option.getAttribute("data-station") === chosen;
        if (!belongs) { option.selected = false; }
        if (belongs && !option.parentNode) { cameras.appendChild(option); }
        if (!belongs && option.parentNode) { option.remove(); }
      });
      if (cameraField) { cameraField.hidden = cameras.options.length === 0; }
    }

    function updateWarning() {
      if (!warning || !incident || !dates) { return; }
      var option = station.options[station.selectedIndex];
      var days = option ? parseInt(option.getAttribute("data-retention-days"), 10) : NaN;
      var date = dates.parseBE(incident.value);
      if (!date || isNaN(days)) {
        warning.hidden = true;
        return;
      }
      var ageDays = Math.round((dates.today() - date) / 86400000);
      warning.hidden = ageDays <= days;
      if (!warning.hidden) {
        warning.textContent = (warning.getAttribute("data-template") || "").replace("{days}", String(days));
      }
    }

    /* A phone's closed select cuts a long station name: the chosen name is written out in full below it. */
    var chosenName = document.createElement("p");
    chosenName.className = "field__chosen";
    chosenName.setAttribute("aria-hidden", "true");
    chosenName.setAttribute("data-station-chosen", "");
    station.insertAdjacentElement("afterend", chosenName);
    function updateChosenName() {
      var option = station.options[station.selectedIndex];
      chosenName.textContent = option && option.value ? option.textContent.trim() : "";
      chosenName.hidden = !chosenName.textContent;
    }

    station.addEventListener("change", function () { updateCameras(); updateWarning(); updateChosenName(); });
    updateChosenName();
    if (incident) {
      incident.addEventListener("change", updateWarning);
      incident.addEventListener("input", updateWarning);
    }
    updateCameras();
    updateWarning();
  }

  /* ---- Files too large for the limit are refused before a slow upload -------------------------- */

  function setUpFileLimits(form) {
    Array.prototype.forEach.call(form.querySelectorAll("input[type='file'][data-max-bytes]"), function (input) {
      input.addEventListener("change", function () {
        var max = parseInt(input.getAttribute("data-max-bytes"), 10);
        var tooLarge = Array.prototype.some.call(input.files || [], function (f) { return f.size > max; });
        var field = input.closest(".field");
        var message = field.querySelector("[data-client-error]");
        if (tooLarge) {
          if (!message) {
            message = document.createElement("p");
            message.className = "field__error";
            message.setAttribute("data-client-error", "");
            message.id = input.id + "_client_error";
            input.insertAdjacentElement("beforebegin", message);
          }
          message.textContent = input.getAttribute("data-too-large-message");
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby",
            ((input.getAttribute("aria-describedby") || "") + " " + message.id).trim());
          input.value = "";
        } else if (message) {
          message.remove();
          input.removeAttribute("aria-invalid");
        }
      });
    });
  }

  /* ---- One submission only ---------------------------------------------------------------------- */

  function setUpSubmit(form) {
    var button = form.querySelector("[data-submit]");
    if (!button) { return; }
    form.addEventListener("submit", function (event) {
      // The anti-robot check holds the first submit back and sends the form again once solved.
      if (event.defaultPrevented) { return; }
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    if (typeof forms.Calendar === "function") {
      Array.prototype.forEach.call(document.querySelectorAll("input[data-thai-date]"), function (input) {
        new forms.Calendar(input); // eslint-disable-line no-new
      });
    }
    var form = document.querySelector("[data-request-form]");
    if (!form) { return; }
    setUpFileCount(form);
    setUpTitle(form);
    setUpStation(form);
    if (typeof forms.setUpSignature === "function") { forms.setUpSignature(form); }
    setUpFileLimits(form);
    setUpSubmit(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
