/*
 * The drawn signature: signature_pad (vendor/signature_pad.umd.min.js, loaded before this) on the canvas in
 * [data-signature], kept as a PNG data URL in its hidden input, in the pen colour chosen; request-form.js calls it.
 */
(function () {
  "use strict";

  var forms = window.cctvForms = window.cctvForms || {};

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

  forms.setUpSignature = setUpSignature;
}());
