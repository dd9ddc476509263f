/*
 * The stepped form's errors and its check of the answers (form-steps.js mixes these into its Steps): the errors
 * in the same markup as the server's (templates/includes/field.html), the answers read back from the form itself.
 * Loaded before form-steps.js.
 */
(function () {
  "use strict";

  var forms = window.cctvForms = window.cctvForms || {};
  var methods = {};

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Hidden by the form's own rules (a title not "other", no number of files to view), not by being another step. */
  function hiddenWithin(node, step) {
    for (var n = node; n && n !== step; n = n.parentElement) {
      if (n.hidden) { return true; }
    }
    return false;
  }

  function text(node) { return (node ? node.textContent : "").replace(/\s*\*\s*$/, "").replace(/\s+/g, " ").trim(); }

  /* ---- Errors, in the same markup as the server's (templates/includes/field.html) ----------------- */

  methods.clearErrors = function (step) {
    each(step.querySelectorAll(".field__error:not([data-client-error])"), function (p) {
      var id = p.id;
      p.remove();
      each(step.querySelectorAll("[aria-describedby]"), function (el) {
        var rest = el.getAttribute("aria-describedby").split(" ").filter(function (x) { return x && x !== id; });
        if (rest.length) { el.setAttribute("aria-describedby", rest.join(" ")); } else { el.removeAttribute("aria-describedby"); }
      });
    });
    each(step.querySelectorAll(".field--error"), function (f) { f.classList.remove("field--error"); });
    each(step.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
  };

  methods.showErrors = function (errors) {
    var step = this.steps[this.current];
    this.errors.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = this.t("errors");
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var message = error.messages.join(" ");
      var wrapper = step.querySelector("[data-field='" + error.name + "']");
      if (wrapper) {
        wrapper.classList.add("field--error");
        var p = document.createElement("p");
        p.className = "field__error";
        p.id = error.id + "_error";
        p.textContent = message;
        var before = wrapper.querySelector(".field__help") || wrapper.querySelector("label, legend");
        if (before) { before.insertAdjacentElement("afterend", p); } else { wrapper.insertBefore(p, wrapper.firstChild); }
        var described = wrapper.tagName === "FIELDSET" ? [wrapper] : wrapper.querySelectorAll("input, select, textarea");
        each(described, function (el) {
          if (el.type === "hidden") { return; }
          if (wrapper.tagName !== "FIELDSET") { el.setAttribute("aria-invalid", "true"); }
          el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + p.id).trim());
        });
      }
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = document.getElementById(error.id) || (wrapper && wrapper.querySelector("input, select, textarea"));
      link.href = "#" + (target && target.id ? target.id : error.id);
      link.textContent = error.label + ": " + message;
      item.appendChild(link);
      list.appendChild(item);
    });
    this.errors.appendChild(heading);
    this.errors.appendChild(list);
    this.errors.setAttribute("role", "alert");
    this.errors.hidden = false;
    this.errors.focus();
  };

  methods.hideErrors = function () {
    this.errors.hidden = true;
    this.errors.removeAttribute("role");
    this.errors.textContent = "";
  };

  /* ---- Check your answers ------------------------------------------------------------------------- */

  methods.answer = function (wrapper) {
    var t = this.t.bind(this);
    var values = [];
    var file = wrapper.querySelector("input[type='file']");
    if (file) {
      each(file.files || [], function (f) { values.push(f.name); });
      if (!values.length) {
        each(wrapper.querySelectorAll(".field__kept"), function (k) { values.push(k.textContent.trim()); });
      }
      return values.length ? values.join(", ") : t("no-file");
    }
    var signature = wrapper.querySelector("[data-signature-input]");
    if (signature) { return signature.value ? t("signed") : t("not-signed"); }
    each(wrapper.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "hidden" || el.name === "signature_colour") { return; }
      if (el.type === "radio") {
        if (el.checked) { values.push(text(el.closest("label"))); }
      } else if (el.type === "checkbox") {
        if (el.checked) { values.push(wrapper.tagName === "FIELDSET" ? text(el.closest("label")) : t("yes")); }
      } else if (el.tagName === "SELECT") {
        each(el.selectedOptions, function (o) { if (o.value) { values.push(o.textContent.trim()); } });
      } else if (el.value.trim()) {
        values.push(el.value.trim());
      }
    });
    return values.length ? values.join(", ") : t("empty");
  };

  methods.renderCheck = function () {
    var self = this;
    var holder = this.check.querySelector("[data-check-list]");
    holder.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = this.t("intro");
    holder.appendChild(intro);
    this.steps.forEach(function (step) {
      if (step === self.check) { return; }
      var heading = document.createElement("h3");
      heading.className = "check-answers__heading";
      heading.textContent = step.getAttribute("data-step-name");
      var list = document.createElement("dl");
      list.className = "check-answers__list";
      each(step.querySelectorAll("[data-field]"), function (wrapper) {
        if (hiddenWithin(wrapper, step) || wrapper.getAttribute("data-field") === "altcha") { return; }
        var label = wrapper.querySelector(":scope > label, :scope > legend") ||
          (wrapper.classList.contains("field--checkbox") ? wrapper.querySelector(".choice") : null);
        var name = text(label) || text(wrapper.closest("fieldset") && wrapper.closest("fieldset").querySelector("legend"));
        var row = document.createElement("div");
        row.className = "check-answers__row";
        var dt = document.createElement("dt");
        dt.textContent = name;
        var dd = document.createElement("dd");
        dd.textContent = self.answer(wrapper);
        var change = document.createElement("dd");
        change.className = "check-answers__change";
        var control = wrapper.querySelector("input:not([type='hidden']), select, textarea, canvas");
        if (control && !control.id) { control.id = "step-control-" + wrapper.getAttribute("data-field"); }
        if (control && control.tagName === "CANVAS") { control.setAttribute("tabindex", "-1"); }
        var link = document.createElement("a");
        link.href = "#" + (control ? control.id : "");
        link.setAttribute("data-change", "");
        link.textContent = self.t("change");
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + name;
        link.appendChild(hidden);
        change.appendChild(link);
        row.appendChild(dt);
        row.appendChild(dd);
        row.appendChild(change);
        list.appendChild(row);
      });
      if (list.children.length) {
        holder.appendChild(heading);
        holder.appendChild(list);
      }
    });
  };

  forms.stepMethods = methods;
}());
