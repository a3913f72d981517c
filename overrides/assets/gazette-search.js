/* Pagefind UI (bundled by the build in /pagefind/), on the search page and the home page form. */
(function () {
  "use strict";
  var box = document.getElementById("gazette-search");
  if (!box || typeof PagefindUI === "undefined") return;
  var pageUrl = (document.querySelector('meta[name="gazette:page"]') || {}).content || "";
  var script = (document.querySelector('meta[name="gazette:script"]') || {}).content || "zh-Hans";
  var path = location.pathname.replace(/index\.html$/, "");
  var root = path.endsWith(pageUrl) ? path.slice(0, path.length - pageUrl.length) : path.replace(/[^\/]*$/, "");
  if (script === "zh-Hant") root = root.replace(/zh-Hant\/$/, "");
  var ui = new PagefindUI({
    element: "#gazette-search",
    bundlePath: root + "pagefind/",
    baseUrl: root,
    showSubResults: true,
    showImages: false,
    // Each script's index holds its own characters: a query typed in the other script is
    // rewritten, character by character, with the archive's own map (converters/search_map.py).
    processTerm: function (term) {
      var maps = window.GAZETTE_SCRIPT_MAP || {};
      var map = script === "zh-Hant" ? maps.toHant : maps.toHans;
      if (!map) return term;
      return Array.from(term).map(function (c) { return map[c] || c; }).join("");
    },
    processResult: function (r) {
      if (r.meta && r.meta.doc_number) {
        r.meta.title = r.meta.title + "（" + r.meta.doc_number + "）";
        delete r.meta.doc_number;  // shown in the title, not as a tag
      }
      return r;
    }
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
