/* Explorers of the Neural Network Basics book: precomputed frames switched by sliders.
 *
 * nnlib.widgets.explore renders, at build time, one frame per combination of parameter
 * values, plus a range input (numbers) or a select (strings) per parameter. Each explorer's
 * data-explorer attribute maps "i,j,k" (the controls' value indices) to a frame. This script
 * shows that frame whenever a control moves, and keeps each slider's aria-valuetext
 * ("lr = 0.1") in step with it. The controls are native inputs, so the keyboard moves them
 * (arrows, Home, End). No dependencies, no network.
 */
(function () {
  "use strict";

  function setUp(root) {
    if (root.dataset.nnReady) return;
    root.dataset.nnReady = "1";
    var spec = JSON.parse(root.getAttribute("data-explorer"));
    var controls = spec.params.map(function (p) {
      return root.querySelector('[data-param="' + CSS.escape(p.name) + '"]');
    });
    var frames = root.querySelectorAll(".nn-explorer-frame");

    // "lr = 0.1", as nnlib.widgets.Explorer._setting_text writes it.
    function settingText(i) {
      return spec.params[i].name + " = " + spec.params[i].labels[Number(controls[i].value)];
    }

    function update() {
      var key = controls.map(function (c) { return c.value; }).join(",");
      controls.forEach(function (c, i) {
        var out = c.parentNode.querySelector("output");
        if (out) out.textContent = spec.params[i].labels[Number(c.value)];
        // A slider's value is an index: screen readers announce aria-valuetext instead.
        if (c.type === "range") c.setAttribute("aria-valuetext", settingText(i));
      });
      var shown = spec.index[key];
      // Frames drawn alike for several settings are shared, so the alt text of the frame
      // shown is rewritten to name the setting the reader chose.
      var setting = spec.params.map(function (p, i) { return settingText(i); }).join(", ");
      for (var f = 0; f < frames.length; f++) {
        var isShown = Number(frames[f].dataset.frame) === shown;
        frames[f].hidden = !isShown;
        if (isShown && root.dataset.alt) {
          frames[f].querySelectorAll("img").forEach(function (img) {
            img.alt = root.dataset.alt + " (" + setting + ")";
          });
        }
      }
      root.dataset.key = key;
    }

    controls.forEach(function (c) {
      c.addEventListener("input", update);
      c.addEventListener("change", update);
    });
    update();
  }

  function setUpAll() {
    document.querySelectorAll(".nn-explorer[data-explorer]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
