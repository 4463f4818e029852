/* Explorers of the Neural Network Basics book: precomputed frames switched by sliders.
 *
 * nnlib.widgets.explore renders, at build time, one frame per combination of parameter
 * values, plus a range input (numbers) or a select (strings) per parameter. Each explorer's
 * data-explorer attribute maps "i,j,k" (the controls' value indices) to a frame. This script
 * shows that frame whenever a control moves. No dependencies, no network.
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

    function update() {
      var key = controls.map(function (c) { return c.value; }).join(",");
      controls.forEach(function (c, i) {
        var out = c.parentNode.querySelector("output");
        if (out) out.textContent = spec.params[i].labels[Number(c.value)];
      });
      var shown = spec.index[key];
      for (var f = 0; f < frames.length; f++) {
        frames[f].hidden = Number(frames[f].dataset.frame) !== shown;
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
