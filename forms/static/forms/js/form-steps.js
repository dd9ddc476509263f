/*
 * The request form in steps on a phone (GOV.UK's "one thing per page", progressively enhanced): each [data-step]
 * of the one <form> is shown in turn, so nothing typed, chosen or drawn is ever lost. Before the next step the
 * server checks this step with the form's own validation (forms/step_views.py; no file is sent, the proof of
 * work is not spent); the last step lists the answers with "Change" links and starts the anti-robot check while
 * the citizen reads. Without this script the form is the one page it always was.
 * Loaded after request-form.js and form-step-parts.js (its errors and check of the answers), in
 * templates/forms/request_form_page.html.
 */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function Steps(form) {
    this.form = form;
    this.check = form.querySelector("[data-step='check']");
    this.steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    this.header = form.querySelector("[data-step-header]");
    this.progress = form.querySelector("[data-step-progress]");
    this.title = form.querySelector("[data-step-title]");
    this.submit = form.querySelector("[data-submit]");
    this.notice = this.submit ? this.submit.previousElementSibling : null;
    this.altcha = form.querySelector("altcha-widget");
    this.t = function (name) { return this.check.getAttribute("data-text-" + name) || ""; };
    this.current = 0;
    this.returnToCheck = false;
    this.busy = false;
    this.build();
  }

  Steps.prototype.build = function () {
    var self = this;
    this.errors = document.createElement("div");
    this.errors.className = "error-summary";
    this.errors.setAttribute("tabindex", "-1");
    this.errors.setAttribute("data-step-errors", "");
    this.errors.hidden = true;
    this.header.insertAdjacentElement("afterend", this.errors);
    this.status = document.createElement("p");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.header.appendChild(this.status);

    this.nav = document.createElement("div");
    this.nav.className = "form-steps__nav";
    this.next = this.button(this.t("next"), "button--primary", function () { self.forward(); });
    this.back = this.button(this.t("back"), "button--secondary", function () { self.show(self.current - 1); });
    this.nav.appendChild(this.next);
    this.nav.appendChild(this.back);
    (this.submit || this.check).insertAdjacentElement("afterend", this.nav);
    this.whole = this.button(this.t("one-page"), "button--link form-steps__whole", function () { self.onePage(); });
    this.header.appendChild(this.whole);
    this.stepped = true;

    this.form.classList.add("request-form--steps");
    this.header.hidden = false;
    // Enter in a text box moves on instead of sending the whole form from the middle.
    this.form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter" && self.stepped && target.tagName === "INPUT" && target.type !== "submit" &&
          !self.onCheck()) {
        event.preventDefault();
        self.forward();
      }
    });
    this.form.addEventListener("submit", function (event) { self.onSubmit(event); }, true);
    // Links to a field (the page's error summary, "Change") open its step first.
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link || !self.stepped) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var index = target ? self.indexOf(target) : -1;
      if (index < 0) { return; }
      event.preventDefault();
      self.returnToCheck = link.hasAttribute("data-change") || self.returnToCheck;
      self.show(index, target);
    });
  };

  Steps.prototype.button = function (label, kind, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button " + kind;
    button.textContent = label;
    button.addEventListener("click", onClick);
    return button;
  };

  Steps.prototype.indexOf = function (node) {
    for (var i = 0; i < this.steps.length; i += 1) {
      if (this.steps[i].contains(node)) { return i; }
    }
    return -1;
  };

  Steps.prototype.onCheck = function () { return this.steps[this.current] === this.check; };

  Steps.prototype.show = function (index, focusTarget) {
    index = Math.max(0, Math.min(index, this.steps.length - 1));
    this.current = index;
    each(this.steps, function (step, i) { step.hidden = i !== index; });
    var step = this.steps[index];
    var last = step === this.check;
    if (last) {
      this.returnToCheck = false;
      this.renderCheck();
      this.startProofOfWork();
    }
    if (this.submit) { this.submit.hidden = !last; }
    if (this.notice && this.notice.classList.contains("notice")) { this.notice.hidden = !last; }
    this.next.hidden = last;
    this.next.textContent = this.returnToCheck ? this.t("return") : this.t("next");
    this.back.hidden = index === 0;
    this.progress.textContent = this.t("progress").replace("{n}", String(index + 1))
      .replace("{total}", String(this.steps.length));
    this.title.textContent = step.getAttribute("data-step-name");
    this.hideErrors();
    window.dispatchEvent(new Event("resize")); // the signature's canvas sizes itself once visible
    if (focusTarget) {
      focusTarget.focus();
    } else {
      this.title.focus();
      window.scrollTo(0, 0);
    }
  };

  /* ---- The server's check of one step ------------------------------------------------------------ */

  Steps.prototype.body = function () {
    var params = new URLSearchParams();
    var self = this;
    var step = this.steps[this.current];
    params.append("step", step.getAttribute("data-step"));
    each(this.form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "altcha" || el.tagName === "BUTTON") { return; }
      var at = self.indexOf(el);
      if (at > self.current) { return; }
      if (el.type === "file") {
        if (at === self.current && el.files && el.files.length) { params.append("files_chosen", el.name); }
        return;
      }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        each(el.selectedOptions, function (option) { params.append(el.name, option.value); });
        return;
      }
      params.append(el.name, el.value);
    });
    return params;
  };

  Steps.prototype.forward = function () {
    var self = this;
    if (this.busy || this.onCheck()) { return; }
    this.busy = true;
    this.next.setAttribute("aria-busy", "true");
    this.status.textContent = this.t("checking");
    var done = function (result) {
      self.busy = false;
      self.next.removeAttribute("aria-busy");
      self.status.textContent = "";
      self.clearErrors(self.steps[self.current]);
      if (result && result.errors && result.errors.length) {
        self.showErrors(result.errors);
      } else {
        self.show(self.returnToCheck ? self.steps.indexOf(self.check) : self.current + 1);
      }
    };
    // A check that cannot be made (offline, throttled) lets the citizen go on: the real submit checks all.
    fetch(this.form.getAttribute("data-step-check-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "fetch" },
      body: this.body().toString()
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(done, function () { done(null); });
  };

  /* ---- The anti-robot check: solved while the citizen reads the answers ---------------------------- */

  Steps.prototype.startProofOfWork = function () {
    var widget = this.altcha;
    if (!widget || typeof widget.verify !== "function" || typeof widget.getState !== "function") { return; }
    var state = widget.getState();
    if (state === "unverified" || state === "error" || state === "expired") { widget.verify(); }
  };

  /* The whole form on one page, as without this script, for those who would rather (the citizen's choice). */
  Steps.prototype.onePage = function (keepFocus) {
    this.stepped = false;
    if (!this.form.querySelector("input[name='one_page']")) {
      // Sent with the form, so that a page shown again with errors stays one page (the template reads it).
      var marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = "one_page";
      marker.value = "1";
      this.form.appendChild(marker);
    }
    this.form.classList.remove("request-form--steps");
    var check = this.check;
    each(this.steps, function (step) { step.hidden = step === check; });
    this.header.hidden = true;
    this.nav.hidden = true;
    this.hideErrors();
    if (this.submit) { this.submit.hidden = false; }
    if (this.notice) { this.notice.hidden = false; }
    window.dispatchEvent(new Event("resize"));
    var first = this.form.querySelector("[data-step] input:not([type='hidden']), [data-step] select");
    if (first && !keepFocus) { first.focus(); }
  };

  Steps.prototype.onSubmit = function (event) {
    if (!this.stepped) { return; }
    if (!this.onCheck()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.forward();
      return;
    }
    var widget = this.altcha;
    if (widget && typeof widget.getState === "function" && widget.getState() === "verifying") {
      // Sent the moment the check is done; the widget's own submit would go without its solution.
      event.preventDefault();
      event.stopImmediatePropagation();
      var form = this.form;
      var submitter = event.submitter;
      widget.addEventListener("statechange", function wait(e) {
        if (e.detail && e.detail.state !== "verifying") {
          widget.removeEventListener("statechange", wait);
          if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
        }
      });
    }
  };

  function init() {
    var form = document.querySelector("[data-request-form][data-step-check-url]");
    var methods = (window.cctvForms || {}).stepMethods;
    if (!form || !methods || !window.fetch || !window.URLSearchParams || !form.querySelector("[data-step='check']")) {
      return; // the one page, as without the script
    }
    Object.keys(methods).forEach(function (name) { Steps.prototype[name] = methods[name]; });
    var steps = new Steps(form);
    window.cctvForms = window.cctvForms || {};
    window.cctvForms.steps = steps;
    if (form.hasAttribute("data-one-page")) {
      steps.onePage(true);
      return;
    }
    var start = form.getAttribute("data-start-step");
    var index = 0;
    if (start) {
      index = steps.steps.indexOf(form.querySelector("[data-step='" + start + "']"));
    }
    steps.show(Math.max(index, 0), start ? document.querySelector("[data-error-summary]") : null);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
