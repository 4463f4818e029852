// The link to the other edition (book/_ext/nnbook_editions.py) follows the reader: its
// #anchor is the other edition's id of the section at the top of the window, so switching
// language keeps the place.
(function () {
  "use strict";
  function follow(link) {
    var anchors = JSON.parse(link.getAttribute("data-sections") || "[]");
    var base = link.getAttribute("href").split("#")[0];
    var article = document.querySelector("article.bd-article") || document.body;
    var sections = Array.prototype.slice.call(article.querySelectorAll("section"));
    if (sections.length !== anchors.length) return;  // not a page the build described
    function update() {
      var current = 0;
      for (var i = 0; i < sections.length; i++) {
        if (sections[i].getBoundingClientRect().top <= 120) current = i;
      }
      link.setAttribute("href", current > 0 && anchors[current] ? base + "#" + anchors[current] : base);
    }
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("hashchange", update);
    update();
  }
  function start() {
    document.querySelectorAll("a.nb-language-link").forEach(follow);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
