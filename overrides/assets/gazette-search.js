/* The search page: exact phrases over the Pagefind index of the search views (converters/search_view.py).
 *
 * A query is one or more phrases separated by spaces (ANDed); a phrase is found exactly as typed, after
 * the Simplified rewrite of Traditional characters. The index holds, for each character of the archive,
 * its position word (the character and the next one of its run), so a phrase of n characters is its
 * n - 1 bigrams at consecutive positions: Pagefind's exact (quoted) search. Each result shown is checked
 * against its fragment's text (a phrase never spans two blocks), and its excerpts mark the phrases.
 * Filters (year, category, issuer), the order and the query are kept in the URL, so a search can be linked.
 * Markup reuses Pagefind UI's class names, so its stylesheet applies. No source text is written as HTML:
 * every text goes in through textContent.
 */
(function () {
  "use strict";
  var box = document.getElementById("gazette-search");
  if (!box) return;
  var RUN_END = "\u2060";  // ends a run's last position word (search_view.RUN_END)
  var PAGE_SIZE = 5;  // results shown at once: each loads its fragment (≈ 8–15 KB)
  var CONTEXT = 28;  // characters of excerpt on either side of a phrase
  // the Simplified site's root (where pagefind/ and doc/ are), from either script's search page
  var root = new URL(box.getAttribute("data-root") || "../", location.href).pathname;
  var hant = document.documentElement.lang === "zh-Hant";
  var maps = window.GAZETTE_SCRIPT_MAP || {};
  var bundles = (box.getAttribute("data-bundles") || "pagefind/").split(" ");
  var T = hant
    ? { placeholder: "搜尋", all: "全部", year: "年份", category: "類別", issuer: "發文機關",
        order: "排序", relevance: "相關度", newest: "日期（新→舊）", oldest: "日期（舊→新）", more: "載入更多結果",
        none: "找不到「[Q]」", count: "「[Q]」共 [N] 個結果", searching: "正在搜尋「[Q]」…", failed: "搜尋失敗" }
    : { placeholder: "搜索", all: "全部", year: "年份", category: "类别", issuer: "发文机关",
        order: "排序", relevance: "相关度", newest: "日期（新→旧）", oldest: "日期（旧→新）", more: "载入更多结果",
        none: "未找到「[Q]」", count: "「[Q]」共 [N] 个结果", searching: "正在搜索「[Q]」…", failed: "搜索失败" };

  function convert(text, map) {
    if (!map || typeof text !== "string") return text;
    return Array.from(text).map(function (c) { return map[c] || c; }).join("");
  }
  function shown(text) { return hant ? convert(text, maps.toHant) : text; }
  function pageUrl(url) {  // a Simplified document URL -> this script's page
    return hant && url.indexOf(root + "doc/") === 0 ? root + "zh-Hant/" + url.slice(root.length) : url;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // --- the query -----------------------------------------------------------------------------------
  var included = null;  // characters Pagefind keeps in words besides letters and digits (pagefind-entry.json)
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  function keep(c) { return LETTER_OR_DIGIT.test(c) || (included && included.has(c)); }
  // a document number in any brackets: 连政办发(2018)160号, 连政办发［2018］160号 -> 连政办发〔2018〕160号
  var DOC_NUMBER = /^(\S*?[^\s\d])[〔\[(（【［{｛]\s*(\d{4})\s*[〕\])）】］}｝]\s*第?(\d+)号$/;
  function numberOf(phrase) {
    var m = DOC_NUMBER.exec(phrase);
    return m ? m[1] + "〔" + m[2] + "〕" + m[3] + "号" : null;
  }
  // initials of the prefixes of the cited numbers the archive does not hold (ids.number_slug)
  var citedPrefixes = JSON.parse(box.getAttribute("data-cited-prefixes") || "{}");
  /** The cited/ page of a document number the archive does not hold, or null. */
  function citedPage(number) {
    var m = DOC_NUMBER.exec(number);
    var initials = m && citedPrefixes[m[1]];
    return initials ? root + "cited/" + initials + "-" + m[2] + "-" + Number(m[3]) + "/" : null;
  }
  /** The phrases of a query: Simplified, split at whitespace; each as the forms any of which matches
   *  (a document number: the archive's own form 〔〕 first, then the form typed). */
  function phrasesOf(query) {
    return convert(query, maps.toHans).split(/\s+/).filter(Boolean).map(function (phrase) {
      var number = numberOf(phrase);
      return number && number !== phrase ? [number, phrase] : [phrase];
    });
  }
  /** Pagefind's term for a phrase: its bigrams in quotes (exact, consecutive positions), normalised as
   *  the indexer normalises a word; a single character: a prefix search over the words it starts. */
  function termOf(phrase) {
    var chars = Array.from(phrase.toLowerCase());
    if (chars.length === 1) return keep(chars[0]) ? chars[0] : null;
    var words = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      var word = [chars[i], chars[i + 1]].filter(keep).join("");
      if (!word) return null;  // no position word can be empty: the phrase is in no document
      words.push(word);
    }
    return '"' + words.join(" ") + '"';
  }

  // --- Pagefind ------------------------------------------------------------------------------------
  var pagefind = null;
  var ready = (async function () {
    var entry = await fetch(root + bundles[0] + "pagefind-entry.json").then(function (r) { return r.json(); });
    included = new Set(entry.include_characters || []);
    pagefind = await import(root + bundles[0] + "pagefind.js");
    await pagefind.options({ baseUrl: root, excerptLength: 0 });
    // Pagefind takes the language of a query from <html lang>, and splits a Chinese one into words with
    // the browser's segmenter: the position words (城乡 乡居 居民) would be cut apart. It is told the
    // index's own language instead (search_view.INDEX_LANGUAGE), which it neither segments nor stems;
    // the page's lang is put back at once (Pagefind reads it when it starts, synchronously).
    var language = Object.keys(entry.languages)[0];
    var pageLanguage = document.documentElement.lang;
    document.documentElement.lang = language;
    var started = pagefind.init();
    document.documentElement.lang = pageLanguage;
    await started;
    for (var i = 1; i < bundles.length; i++) {
      await pagefind.mergeIndex(root + bundles[i], { baseUrl: root, language: language });
    }
    return pagefind;
  })();

  /** The candidates of a query: the results of every phrase's exact search, intersected, in the order
   *  of the first phrase (by relevance, or by date when sorted). [] when a phrase cannot be found. */
  async function candidates(query, filters, sort) {
    await ready;
    var phrases = phrasesOf(query);
    if (!phrases.length) return [];
    var lists = [];
    for (var i = 0; i < phrases.length; i++) {
      var union = [], ids = new Set();
      for (var j = 0; j < phrases[i].length; j++) {
        var term = termOf(phrases[i][j]);
        if (term === null) continue;
        var found = await pagefind.search(term, { filters: filters || {}, sort: sort || {} });
        (found ? found.results : []).forEach(function (r) { if (!ids.has(r.id)) { ids.add(r.id); union.push(r); } });
      }
      if (!union.length) return [];
      lists.push(union);
    }
    var result = lists[0];
    lists.slice(1).forEach(function (list) {
      var ids = new Set(list.map(function (r) { return r.id; }));
      result = result.filter(function (r) { return ids.has(r.id); });
    });
    // A document number finds its document first: among the first candidates (the number is on its
    // page and on the pages citing it), the one whose number it is.
    var number = phrases.length === 1 ? numberOf(phrases[0][0]) : null;
    if (number && !(sort && sort.date)) {
      var head = result.slice(0, 30);
      var own = await Promise.all(head.map(async function (r) { return (await r.data()).meta.doc_number === number; }));
      result = head.filter(function (r, k) { return own[k]; })
        .concat(head.filter(function (r, k) { return !own[k]; }), result.slice(30));
    }
    return result;
  }

  /** A fragment's text, one character per position; a run's end (and an empty position) as "\n". */
  function textOf(fragment) {
    var tokens = fragment.content.split(" ");
    var text = "", offsets = [];
    tokens.forEach(function (t) {
      offsets.push(text.length);
      if (!t) text += "\n";
      else if (t.slice(-1) === RUN_END) text += t.slice(0, -1) + "\n";
      else text += t;
    });
    return { text: text, offsets: offsets };
  }

  /** Where each phrase occurs in the text: [[start, end]…] sorted; null when a phrase is missing. */
  function occurrences(text, phrases) {
    var lower = text.toLowerCase(), spans = [];
    for (var i = 0; i < phrases.length; i++) {
      var any = false;
      phrases[i].forEach(function (form) {
        var p = form.toLowerCase(), from = 0, at;
        while ((at = lower.indexOf(p, from)) >= 0) { spans.push([at, at + p.length]); any = true; from = at + 1; }
      });
      if (!any) return null;
    }
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  /** An excerpt around text[start]: a paragraph of text nodes and <mark>s for the phrases. */
  function excerpt(text, spans, start) {
    var from = Math.max(0, start - CONTEXT), to = Math.min(text.length, start + CONTEXT * 2);
    var head = text.lastIndexOf("\n", start);  // begin at the run the phrase is in when that is near
    if (head >= from) from = head + 1;
    var p = el("p", "pagefind-ui__result-excerpt");
    var at = from;
    function put(s, marked) {
      s = shown(s.replace(/\n/g, " "));
      if (s) p.appendChild(marked ? el("mark", null, s) : document.createTextNode(s));
    }
    if (from > 0) put("…", false);
    spans.forEach(function (span) {
      if (span[1] <= at || span[0] >= to) return;
      to = Math.max(to, span[1]);  // a phrase is marked whole, never cut at the excerpt's end
      put(text.slice(at, Math.max(at, span[0])), false);
      put(text.slice(Math.max(at, span[0]), span[1]), true);
      at = span[1];
    });
    put(text.slice(at, to), false);
    if (to < text.length) put("…", false);
    return p;
  }

  var DAY = /^day_(\d{4})-(\d{2})-(\d{2})$/;
  /** A sub-result's title: the heading, a chronicle day with its year. */
  function anchorTitle(anchor) {
    var day = DAY.exec(anchor.id);
    if (day) return day[1] + "年" + Number(day[2]) + "月" + Number(day[3]) + "日";
    return anchor.text;
  }

  /** A result, or null when its text does not hold every phrase (the index found it across a block end). */
  async function resultOf(candidate, phrases) {
    var fragment = await candidate.data();
    var t = textOf(fragment);
    var spans = occurrences(t.text, phrases);
    if (!spans) return null;
    var meta = fragment.meta || {};
    var url = pageUrl(fragment.url.split("?")[0]);
    var li = el("li", "pagefind-ui__result");
    var inner = el("div", "pagefind-ui__result-inner");
    var title = el("p", "pagefind-ui__result-title");
    var link = el("a", "pagefind-ui__result-link", shown(meta.title || fragment.url));
    link.href = url;
    title.appendChild(link);
    inner.appendChild(title);
    var facts = [meta.doc_number, meta.date, meta.issue && "《公报》" + meta.issue, meta.category].filter(Boolean);
    inner.appendChild(el("p", "gazette-search__facts", shown(facts.join(" · "))));
    // sub-results: the headings the phrase occurs under (an article, a chronicle day), up to three;
    // the result's own excerpt only where the phrase first occurs before any of them
    var anchors = (fragment.anchors || []).filter(function (a) { return a.element !== "h1"; });
    if (!anchors.length || t.offsets[anchors[0].location] > spans[0][0]) {
      inner.appendChild(excerpt(t.text, spans, spans[0][0]));
    }
    var seen = new Set();
    for (var i = 0; i < spans.length && seen.size < 3; i++) {
      var anchor = null;
      anchors.forEach(function (a) { if (t.offsets[a.location] <= spans[i][0]) anchor = a; });
      if (!anchor || seen.has(anchor.id)) continue;
      seen.add(anchor.id);
      var nested = el("div", "pagefind-ui__result-nested");
      var subTitle = el("p", "pagefind-ui__result-title");
      var subLink = el("a", "pagefind-ui__result-link", shown(anchorTitle(anchor)));
      subLink.href = url + "#" + anchor.id;
      subTitle.appendChild(subLink);
      nested.appendChild(subTitle);
      nested.appendChild(excerpt(t.text, spans, spans[i][0]));
      inner.appendChild(nested);
    }
    li.appendChild(inner);
    return li;
  }

  // --- the page ------------------------------------------------------------------------------------
  var form = el("form", "pagefind-ui__form");
  form.setAttribute("role", "search");
  var input = el("input", "pagefind-ui__search-input");
  input.type = "search";
  input.placeholder = T.placeholder;
  input.setAttribute("aria-label", T.placeholder);
  form.appendChild(input);
  var controls = el("div", "gazette-search__controls");
  var selects = {};
  [["year", T.year], ["category", T.category], ["issuer", T.issuer]].forEach(function (f) {
    var label = el("label", "gazette-search__filter", f[1] + " ");
    var select = el("select");
    select.name = f[0];
    select.appendChild(el("option", null, T.all)).value = "";
    label.appendChild(select);
    controls.appendChild(label);
    selects[f[0]] = select;
  });
  var orderLabel = el("label", "gazette-search__filter", T.order + " ");
  var order = el("select");
  order.name = "sort";
  [["", T.relevance], ["desc", T.newest], ["asc", T.oldest]].forEach(function (o) {
    order.appendChild(el("option", null, o[1])).value = o[0];
  });
  orderLabel.appendChild(order);
  controls.appendChild(orderLabel);
  form.appendChild(controls);
  var message = el("p", "pagefind-ui__message");
  var list = el("ol", "pagefind-ui__results");
  var more = el("button", "pagefind-ui__button", T.more);
  more.type = "button";  // in the page only while there are more results
  box.appendChild(form);
  box.appendChild(message);
  box.appendChild(list);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  order.value = params.get("sort") || "";

  ready.then(async function () {
    var filters = await pagefind.filters();
    Object.keys(selects).forEach(function (name) {
      Object.keys(filters[name] || {}).sort().forEach(function (value) {
        var option = el("option", null, shown(value));
        option.value = value;
        selects[name].appendChild(option);
      });
      selects[name].value = params.get(name) || "";
    });
    if (input.value) run();
  });

  /** The state of the search in the URL (q, year, category, issuer, sort), and in the script switch. */
  function remember() {
    var state = new URLSearchParams();
    if (input.value.trim()) state.set("q", input.value.trim());
    Object.keys(selects).forEach(function (name) { if (selects[name].value) state.set(name, selects[name].value); });
    if (order.value) state.set("sort", order.value);
    var search = state.toString() ? "?" + state.toString() : "";
    history.replaceState(null, "", location.pathname + search);
    document.querySelectorAll("a.script-switch, a.hans-link").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split(/[?#]/)[0] + search);
    });
  }

  /** For a query that is a document number the archive does not hold, and that is not the number of
   *  the first result, the page listing the documents that cite it (cited/), when there is one. */
  async function citedResult(phrases, found) {
    var number = phrases.length === 1 ? numberOf(phrases[0][0]) : null;
    var page = number && citedPage(number);
    if (!page || (found.length && (await found[0].data()).meta.doc_number === number)) return null;
    var response = await fetch(page, { method: "HEAD" });
    if (!response.ok) return null;
    var li = el("li", "pagefind-ui__result gazette-search__cited");
    var inner = el("div", "pagefind-ui__result-inner");
    var title = el("p", "pagefind-ui__result-title");
    var link = el("a", "pagefind-ui__result-link", shown(number));
    link.href = hant ? root + "zh-Hant/" + page.slice(root.length) : page;
    title.appendChild(link);
    inner.appendChild(title);
    inner.appendChild(el("p", "gazette-search__facts", hant ? "未收錄於本庫：引用它的文件" : "未收录于本库：引用它的文件"));
    li.appendChild(inner);
    return li;
  }

  var generation = 0, pending = [], phrasesNow = [], total = 0;
  async function showMore(mine) {
    more.remove();
    list.setAttribute("aria-busy", "true");  // until this page of results is in (tests wait on it too)
    var added = 0;
    while (pending.length && added < PAGE_SIZE) {
      var item = await resultOf(pending.shift(), phrasesNow);
      if (mine !== generation) return;
      if (item) { list.appendChild(item); added++; } else { total--; }
    }
    var typed = input.value.trim();  // named as the reader typed it, in either script
    message.textContent = total ? T.count.replace("[Q]", typed).replace("[N]", total) : T.none.replace("[Q]", typed);
    if (pending.length) box.appendChild(more);
    list.setAttribute("aria-busy", "false");
  }

  async function run() {
    var mine = ++generation;
    var query = input.value.trim();
    remember();
    list.textContent = "";
    more.remove();
    if (!query) { message.textContent = ""; list.setAttribute("aria-busy", "false"); return; }
    list.setAttribute("aria-busy", "true");
    message.textContent = T.searching.replace("[Q]", query);
    var filters = {};
    Object.keys(selects).forEach(function (name) { if (selects[name].value) filters[name] = [selects[name].value]; });
    try {
      var found = await candidates(query, filters, order.value ? { date: order.value } : {});
      if (mine !== generation) return;
      var cited = await citedResult(phrasesNow = phrasesOf(query), found);
      if (mine !== generation) return;
      if (cited) list.appendChild(cited);
      pending = found.slice();
      total = found.length;
      await showMore(mine);
    } catch (e) {
      if (mine === generation) { message.textContent = T.failed; list.setAttribute("aria-busy", "false"); }
      throw e;
    }
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
  form.addEventListener("change", function (ev) { if (ev.target.tagName === "SELECT") run(); });
  more.addEventListener("click", function () { showMore(generation); });

  // For the benchmark (gazette bench --query): the documents a query returns, as the ids of their
  // fragments (pagefind/fragment/<id>.pf_fragment), without loading them.
  window.gazetteSearch = {
    candidates: async function (query) {
      return (await candidates(query)).map(function (c) { return c.id; });
    }
  };
})();
