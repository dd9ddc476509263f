/*
 * Dates as the request form writes them: day/month/Buddhist-Era year ("16/02/2569"), Thai or Arabic digits.
 * Shared by the calendar (calendar.js) and the overwrite warning (request-form.js), loaded before both.
 */
(function () {
  "use strict";

  var BE_OFFSET = 543;
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

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function today() {
    var now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), now.getDate());
  }

  var forms = window.cctvForms = window.cctvForms || {};
  forms.dates = {
    BE_OFFSET: BE_OFFSET,
    parseBE: parseBE,
    formatBE: formatBE,
    sameDay: sameDay,
    today: today
  };
}());
