/*
 * The date picker beside each day/month/BE-year box (input[data-thai-date]): a modal dialog of one month, driven
 * by mouse, touch or keys. Needs thai-dates.js before it; request-form.js makes one per box.
 */
(function () {
  "use strict";

  var forms = window.cctvForms = window.cctvForms || {};
  var dates = forms.dates;
  var BE_OFFSET = dates.BE_OFFSET;
  var parseBE = dates.parseBE;
  var formatBE = dates.formatBE;
  var sameDay = dates.sameDay;
  var today = dates.today;

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

  /* A day as the calendar names it: "16 กุมภาพันธ์ 2569", or "16 February 2026 (B.E. 2569)" in English. */
  function longDate(date, text) {
    return date.getDate() + " " + text.months[date.getMonth()] + " " + text.year(date.getFullYear());
  }

  function fire(element, type) {
    element.dispatchEvent(new Event(type, { bubbles: true }));
  }

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

  forms.Calendar = Calendar;
}());
