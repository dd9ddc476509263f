/*
 * The request form, progressively enhanced. Everything but the signature works without this script.
 * No inline code anywhere: the public pages run under a Content-Security-Policy without 'unsafe-inline'.
 */
(function () {
  "use strict";

  var BE_OFFSET = 543;
  /* The calendar speaks the page's language (<html lang>): Thai months and Buddhist-Era years on Thai pages,
     English months and Christian-Era years on English pages, with the BE year beside them as the site writes
     English dates (the box itself takes day/month/BE year on every page, as the field's help says). */
  var CALENDAR_TEXT = {
    th: {
      months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
        "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
      weekdays: ["อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส."],
      button: "เลือกวันที่",
      buttonLabel: "เลือกวันที่ (ปฏิทิน)",
      previous: "เดือนก่อนหน้า",
      next: "เดือนถัดไป",
      close: "ปิด",
      year: function (year) { return String(year + BE_OFFSET); }
    },
    en: {
      months: ["January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December"],
      weekdays: ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"],
      button: "Choose date",
      buttonLabel: "Choose date (calendar)",
      previous: "Previous month",
      next: "Next month",
      close: "Close",
      year: function (year) { return year + " (B.E. " + (year + BE_OFFSET) + ")"; }
    }
  };

  function calendarText() {
    var language = (document.documentElement.lang || "").toLowerCase().split("-")[0];
    return CALENDAR_TEXT[language] || CALENDAR_TEXT.th;
  }

  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function toAsciiDigits(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* "dd/mm/yyyy" in the Buddhist Era -> Date (local midnight), or null. */
  function parseBE(text) {
    var m = /^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})\s*$/.exec(toAsciiDigits(text || ""));
    if (!m) { return null; }
    var year = parseInt(m[3], 10) - BE_OFFSET;
    var date = new Date(year, parseInt(m[2], 10) - 1, parseInt(m[1], 10));
    if (date.getMonth() !== parseInt(m[2], 10) - 1) { return null; }
    return date;
  }

  function formatBE(date) {
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + (date.getFullYear() + BE_OFFSET);
  }

  /* A day as the calendar names it: "16 กุมภาพันธ์ 2569", or "16 February 2026 (B.E. 2569)" in English. */
  function longDate(date, text) {
    return date.getDate() + " " + text.months[date.getMonth()] + " " + text.year(date.getFullYear());
  }

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function today() {
    var now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), now.getDate());
  }

  function fire(element, type) {
    element.dispatchEvent(new Event(type, { bubbles: true }));
  }

  /* ---- Calendar (in the page's language; see CALENDAR_TEXT) ------------------------------------ */

  var dialogCount = 0;

  function Calendar(input) {
    this.input = input;
    this.text = calendarText();
    this.max = parseBE(input.getAttribute("data-max"));
    dialogCount += 1;
    this.headingId = "calendar-heading-" + dialogCount;

    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary calendar-toggle";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-label", input.getAttribute("data-calendar-label") || this.text.buttonLabel);
    button.textContent = this.text.button;
    input.insertAdjacentElement("afterend", button);
    this.button = button;
    button.addEventListener("click", this.open.bind(this));
  }

  Calendar.prototype.open = function () {
    var chosen = parseBE(this.input.value);
    this.focused = chosen || (this.max && this.max < today() ? this.max : today());
    if (this.max && this.focused > this.max) { this.focused = this.max; }
    this.dialog = document.createElement("div");
    this.dialog.className = "calendar";
    this.dialog.setAttribute("role", "dialog");
    this.dialog.setAttribute("aria-modal", "true");
    this.dialog.setAttribute("aria-labelledby", this.headingId);
    this.dialog.addEventListener("keydown", this.onKey.bind(this));
    this.button.insertAdjacentElement("afterend", this.dialog);
    this.render();
    this.outside = this.onOutside.bind(this);
    document.addEventListener("mousedown", this.outside);
    document.addEventListener("touchstart", this.outside);
  };

  Calendar.prototype.close = function (returnFocus) {
    if (!this.dialog) { return; }
    document.removeEventListener("mousedown", this.outside);
    document.removeEventListener("touchstart", this.outside);
    this.dialog.remove();
    this.dialog = null;
    if (returnFocus) { this.button.focus(); }
  };

  Calendar.prototype.onOutside = function (event) {
    if (this.dialog && !this.dialog.contains(event.target) && event.target !== this.button) {
      this.close(false);
    }
  };

  Calendar.prototype.isDisabled = function (date) {
    return Boolean(this.max && date > this.max);
  };

  Calendar.prototype.render = function () {
    var self = this;
    var focused = this.focused;
    var chosen = parseBE(this.input.value);
    var now = today();
    this.dialog.textContent = "";

    var header = document.createElement("div");
    header.className = "calendar__header";
    var prev = document.createElement("button");
    prev.type = "button";
    prev.className = "calendar__nav";
    prev.setAttribute("aria-label", this.text.previous);
    prev.textContent = "‹";
    prev.addEventListener("click", function () { self.moveMonth(-1); });
    var heading = document.createElement("h2");
    heading.id = this.headingId;
    heading.className = "calendar__heading";
    heading.setAttribute("aria-live", "polite");
    heading.textContent = this.text.months[focused.getMonth()] + " " + this.text.year(focused.getFullYear());
    var next = document.createElement("button");
    next.type = "button";
    next.className = "calendar__nav";
    next.setAttribute("aria-label", this.text.next);
    next.textContent = "›";
    next.addEventListener("click", function () { self.moveMonth(1); });
    header.append(prev, heading, next);

    var table = document.createElement("table");
    table.className = "calendar__grid";
    table.setAttribute("role", "presentation");
    var head = document.createElement("tr");
    this.text.weekdays.forEach(function (day) {
      var th = document.createElement("th");
      th.setAttribute("scope", "col");
      th.textContent = day;
      head.appendChild(th);
    });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);

    var tbody = document.createElement("tbody");
    var first = new Date(focused.getFullYear(), focused.getMonth(), 1);
    var cursor = new Date(first.getFullYear(), first.getMonth(), 1 - first.getDay());
    for (var week = 0; week < 6; week += 1) {
      var row = document.createElement("tr");
      for (var day = 0; day < 7; day += 1) {
        var cell = document.createElement("td");
        if (cursor.getMonth() === focused.getMonth()) {
          var dayButton = document.createElement("button");
          var date = new Date(cursor.getTime());
          dayButton.type = "button";
          dayButton.className = "calendar__day";
          dayButton.textContent = String(date.getDate());
          dayButton.setAttribute("aria-label", longDate(date, this.text));
          dayButton.tabIndex = sameDay(date, focused) ? 0 : -1;
          if (sameDay(date, now)) { dayButton.setAttribute("aria-current", "date"); }
          if (sameDay(date, chosen)) { dayButton.setAttribute("aria-pressed", "true"); }
          if (this.isDisabled(date)) {
            dayButton.disabled = true;
          } else {
            dayButton.addEventListener("click", this.pick.bind(this, date));
          }
          cell.appendChild(dayButton);
        }
        row.appendChild(cell);
        cursor.setDate(cursor.getDate() + 1);
      }
      tbody.appendChild(row);
    }
    table.appendChild(tbody);

    var close = document.createElement("button");
    close.type = "button";
    close.className = "button button--link calendar__close";
    close.textContent = this.text.close;
    close.addEventListener("click", function () { self.close(true); });

    this.dialog.append(header, table, close);
    var focus = this.dialog.querySelector(".calendar__day[tabindex='0']");
    if (focus && !focus.disabled) { focus.focus(); } else { prev.focus(); }
  };

  Calendar.prototype.moveMonth = function (delta) {
    var f = this.focused;
    var target = new Date(f.getFullYear(), f.getMonth() + delta, 1);
    var last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
    this.focused = new Date(target.getFullYear(), target.getMonth(), Math.min(f.getDate(), last));
    this.render();
  };

  Calendar.prototype.onKey = function (event) {
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (event.key === "Escape") {
      event.preventDefault();
      this.close(true);
    } else if (event.key in moves && event.target.classList.contains("calendar__day")) {
      event.preventDefault();
      var next = new Date(this.focused.getTime());
      next.setDate(next.getDate() + moves[event.key]);
      this.focused = next;
      this.render();
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      this.moveMonth(event.key === "PageUp" ? -1 : 1);
    } else if (event.key === "Tab") {
      /* Keep focus inside the modal dialog. */
      var focusable = Array.prototype.filter.call(
        this.dialog.querySelectorAll("button"), function (b) { return !b.disabled && b.tabIndex !== -1; });
      var firstEl = focusable[0];
      var lastEl = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === firstEl) {
        event.preventDefault();
        lastEl.focus();
      } else if (!event.shiftKey && document.activeElement === lastEl) {
        event.preventDefault();
        firstEl.focus();
      }
    }
  };

  Calendar.prototype.pick = function (date) {
    this.input.value = formatBE(date);
    fire(this.input, "input");
    fire(this.input, "change");
    this.close(true);
  };

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
      if (!warning || !incident) { return; }
      var option = station.options[station.selectedIndex];
      var days = option ? parseInt(option.getAttribute("data-retention-days"), 10) : NaN;
      var date = parseBE(incident.value);
      if (!date || isNaN(days)) {
        warning.hidden = true;
        return;
      }
      var ageDays = Math.round((today() - date) / 86400000);
      warning.hidden = ageDays <= days;
      if (!warning.hidden) {
        warning.textContent = (warning.getAttribute("data-template") || "").replace("{days}", String(days));
      }
    }

    station.addEventListener("change", function () { updateCameras(); updateWarning(); });
    if (incident) {
      incident.addEventListener("change", updateWarning);
      incident.addEventListener("input", updateWarning);
    }
    updateCameras();
    updateWarning();
  }

  /* ---- Signature ------------------------------------------------------------------------------- */

  function setUpSignature(form) {
    var box = form.querySelector("[data-signature]");
    if (!box || typeof window.SignaturePad !== "function") { return; }
    var canvas = box.querySelector("canvas");
    var input = box.querySelector("[data-signature-input]");
    var pad = new window.SignaturePad(canvas, { penColor: "#000000", minWidth: 0.8, maxWidth: 2.6 });

    function store() {
      input.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    }

    function redraw(dataUrl) {
      if (!dataUrl) { return; }
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      pad.fromDataURL(dataUrl, { ratio: ratio, width: canvas.width / ratio, height: canvas.height / ratio });
    }

    function resize() {
      var saved = input.value;
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var width = Math.min(box.clientWidth || 300, 600);
      canvas.style.width = width + "px";
      canvas.style.height = "200px";
      canvas.width = width * ratio;
      canvas.height = 200 * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      redraw(saved);
    }

    pad.addEventListener("endStroke", store);
    box.querySelector("[data-signature-clear]").addEventListener("click", function () {
      pad.clear();
      input.value = "";
    });
    var radios = box.querySelectorAll("input[name='signature_colour']");
    var colourChosen = false;

    function usePen(colour) {
      pad.penColor = colour;
      box.setAttribute("data-pen-colour", colour);
      Array.prototype.forEach.call(radios, function (radio) { radio.checked = radio.value === colour; });
    }

    function rgb(hex) {
      var value = parseInt(hex.replace("#", ""), 16);
      return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
    }

    /* The ink of a kept signature: the offered colour most of its opaque pixels are nearest to. */
    function inkOf(dataUrl, done) {
      var colours = Array.prototype.map.call(radios, function (radio) { return radio.value; });
      var image = new Image();
      image.onload = function () {
        var probe = document.createElement("canvas");
        probe.width = image.naturalWidth;
        probe.height = image.naturalHeight;
        var context = probe.getContext("2d");
        context.drawImage(image, 0, 0);
        var data = context.getImageData(0, 0, probe.width, probe.height).data;
        var targets = colours.map(rgb);
        var votes = colours.map(function () { return 0; });
        for (var i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 200) { continue; }
          var best = 0;
          var bestDistance = Infinity;
          for (var c = 0; c < targets.length; c += 1) {
            var distance = Math.abs(data[i] - targets[c][0]) + Math.abs(data[i + 1] - targets[c][1]) +
              Math.abs(data[i + 2] - targets[c][2]);
            if (distance < bestDistance) { best = c; bestDistance = distance; }
          }
          votes[best] += 1;
        }
        var most = votes.indexOf(Math.max.apply(null, votes));
        done(votes[most] > 0 ? colours[most] : null);
      };
      image.onerror = function () { done(null); };
      image.src = dataUrl;
    }

    Array.prototype.forEach.call(radios, function (radio) {
      if (radio.checked) { usePen(radio.value); }
      radio.addEventListener("change", function () {
        colourChosen = true;
        usePen(radio.value);
      });
    });
    /* The page drawn again after a failed submit offers the first colour, while the kept signature may be in
       another: the pen takes the kept signature's ink, so that new strokes match it. */
    function settled() { box.setAttribute("data-pen-settled", ""); }
    if (input.value && radios.length) {
      inkOf(input.value, function (colour) {
        if (colour && !colourChosen) { usePen(colour); }
        settled();
      });
    } else {
      settled();
    }
    var lastWidth = box.clientWidth;
    window.addEventListener("resize", function () {
      /* Phones fire resize when the address bar hides; only a width change needs a new canvas. */
      if (box.clientWidth !== lastWidth) {
        lastWidth = box.clientWidth;
        resize();
      }
    });
    resize();
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
    Array.prototype.forEach.call(document.querySelectorAll("input[data-thai-date]"), function (input) {
      new Calendar(input); // eslint-disable-line no-new
    });
    var form = document.querySelector("[data-request-form]");
    if (!form) { return; }
    setUpFileCount(form);
    setUpTitle(form);
    setUpStation(form);
    setUpSignature(form);
    setUpFileLimits(form);
    setUpSubmit(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
