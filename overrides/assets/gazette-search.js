/* Pagefind UI (bundled by the build in /pagefind/) on the search page; the home page form submits to it. */
(function () {
  "use strict";
  var box = document.getElementById("gazette-search");
  if (!box || typeof PagefindUI === "undefined") return;
  // the Simplified site's root (where pagefind/ and doc/ are), from either script's search page
  var root = new URL(box.getAttribute("data-root") || "../", location.href).pathname;
  var script = document.documentElement.lang === "zh-Hant" ? "zh-Hant" : "zh-Hans";
  var maps = window.GAZETTE_SCRIPT_MAP || {};
  function convert(text, map) {
    if (!map || typeof text !== "string") return text;
    return Array.from(text).map(function (c) { return map[c] || c; }).join("");
  }
  // a Simplified document URL -> the same page on the Traditional site
  function toHant(url) {
    var hans = root + "doc/";
    return typeof url === "string" && url.indexOf(hans) === 0 ? root + "zh-Hant/doc/" + url.slice(hans.length) : url;
  }
  // pagefind/, and for a large archive its shards (converters/site.py search_shards), searched as one
  var bundles = (box.getAttribute("data-bundles") || "pagefind/").split(" ");
  // The UI picks its strings by <html lang>: for "zh-Hant" it falls back to "zh", in Simplified.
  // These are Pagefind's own zh-tw strings.
  var hantStrings = {
    placeholder: "搜尋", clear_search: "清除", load_more: "載入更多結果", search_label: "站內搜尋",
    filters_label: "篩選", zero_results: "找不到 [SEARCH_TERM] 的相關結果",
    many_results: "找到 [COUNT] 個 [SEARCH_TERM] 的相關結果", one_result: "找到 [COUNT] 個 [SEARCH_TERM] 的相關結果",
    total_zero_results: "無結果", total_one_result: "[COUNT] 個結果", total_many_results: "[COUNT] 個結果",
    alt_search: "未找到 [SEARCH_TERM] 的相關結果。改為顯示 [DIFFERENT_TERM] 的相關結果",
    search_suggestion: "找不到 [SEARCH_TERM] 的相關結果。請嘗試以下的建議之一。", searching: "正在搜尋[SEARCH_TERM]...",
    results_label: "搜尋結果", keyboard_navigate: "導覽", keyboard_select: "選擇", keyboard_clear: "清除",
    keyboard_close: "關閉", keyboard_search: "搜尋", error_search: "搜尋失敗", filter_selected_one: "已選擇 [COUNT] 個",
    filter_selected_many: "已選擇 [COUNT] 個", input_hint: "輸入時將顯示結果", loading: "載入中"
  };
  var excerptLength = 12;  // the UI's own length with sub-results, for every shard alike
  var ui = new PagefindUI({
    element: "#gazette-search",
    bundlePath: root + bundles[0],
    baseUrl: root,
    mergeIndex: bundles.slice(1).map(function (b) {
      return { bundlePath: root + b, baseUrl: root, excerptLength: excerptLength };
    }),
    excerptLength: excerptLength,
    showSubResults: true,
    showImages: false,
    translations: script === "zh-Hant" ? hantStrings : undefined,
    // One index, in Simplified, serves both sites (converters/site.py pagefind): a query typed in
    // Traditional is rewritten into Simplified, character by character, with the archive's own
    // map (converters/search_map.py); on the Traditional site the results are written back.
    processTerm: function (term) { return convert(term, maps.toHans); },
    processResult: function (r) {
      if (script === "zh-Hant") {
        r.url = toHant(r.url);
        r.excerpt = convert(r.excerpt, maps.toHant);
        Object.keys(r.meta || {}).forEach(function (k) { r.meta[k] = convert(r.meta[k], maps.toHant); });
        (r.sub_results || []).forEach(function (sub) {
          sub.url = toHant(sub.url);
          sub.title = convert(sub.title, maps.toHant);
          sub.excerpt = convert(sub.excerpt, maps.toHant);
        });
      }
      if (r.meta && r.meta.doc_number) {
        r.meta.title = r.meta.title + "（" + r.meta.doc_number + "）";
        delete r.meta.doc_number;  // shown in the title, not as a tag
      }
      return r;
    }
  });
  // The search box's accessible name: the UI gives it a title only, which is not a label (axe: label-title-only).
  var searchInput = box.querySelector("input");
  if (searchInput) searchInput.setAttribute("aria-label", script === "zh-Hant" ? "搜尋本站公文" : "搜索本站公文");
  var q = new URLSearchParams(location.search).get("q");
  if (q) {
    // While the UI waits out its debounce it preloads the index chunks of the raw query, before
    // processTerm: for a Traditional query, chunks of words the Simplified index does not hold (+35 KB
    // for 城鄉居民醫保 at 10,000 documents). So the query is handed over in Simplified, and the box
    // shows it as the reader typed it once the UI has drawn it.
    var simplified = convert(q, maps.toHans);
    ui.triggerSearch(simplified);
    // The message names the query the UI searched: the Simplified one. While the box still holds the
    // query as typed, the message names that (in place, so the UI's own updates still reach the text).
    var nameTypedQuery = function () {
      var input = box.querySelector("input");
      var message = box.querySelector(".pagefind-ui__message");
      if (simplified === q || !input || input.value !== q || !message) return;
      var walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.data.indexOf(simplified) >= 0) node.data = node.data.split(simplified).join(q);
      }
    };
    setTimeout(function () {
      var input = box.querySelector("input");
      if (input) input.value = q;
      nameTypedQuery();
    }, 0);
    new MutationObserver(nameTypedQuery).observe(box, { childList: true, subtree: true, characterData: true });
  }
})();
