/* The search page: exact phrases over the archive's own n-gram index (converters/phrase_index.py, written
 * by converters/site/search.py into search-index/).
 *
 * A query is one or more phrases separated by spaces (ANDed); a phrase is found exactly as typed, after
 * the Simplified rewrite of Traditional characters. A phrase of up to three characters is a gram of the
 * index: its list is exactly the documents holding it. A longer one is looked up by its trigrams, whose
 * lists intersected hold every document containing it and few others: each result is checked against the
 * document's text before it is shown, and while candidates are left unchecked the count is an upper bound
 * and says so. Excerpts mark the phrases. Filters (year, category, issuer), the order and the query are
 * kept in the URL, so a search can be linked. No source text is written as HTML: every text goes in
 * through textContent.
 */
(function () {
  "use strict";
  var box = document.getElementById("gazette-search");
  if (!box) return;
  var PAGE_SIZE = 5;  // results shown at once: each loads its document's text (≈ 5–15 KB)
  var CONTEXT = 28;  // characters of excerpt on either side of a phrase
  var MAX_GRAM = 3, RUN_END = "\n";  // phrase_index.py
  // the Simplified site's root (where search-index/ and doc/ are), from either script's search page
  var root = new URL(box.getAttribute("data-root") || "../", location.href).pathname;
  var INDEX = root + "search-index/";
  var hant = document.documentElement.lang === "zh-Hant";
  var maps = window.GAZETTE_SCRIPT_MAP || {};
  var T = hant
    ? { placeholder: "搜尋", all: "全部", year: "年份", category: "類別", issuer: "發文機關",
        order: "排序", relevance: "相關度", newest: "日期（新→舊）", oldest: "日期（舊→新）", more: "載入更多結果",
        none: "找不到「[Q]」", count: "「[Q]」共 [N] 個結果", upTo: "「[Q]」至多 [N] 個結果（其餘逐一核對後顯示）",
        searching: "正在搜尋「[Q]」…", failed: "搜尋失敗" }
    : { placeholder: "搜索", all: "全部", year: "年份", category: "类别", issuer: "发文机关",
        order: "排序", relevance: "相关度", newest: "日期（新→旧）", oldest: "日期（旧→新）", more: "载入更多结果",
        none: "未找到「[Q]」", count: "「[Q]」共 [N] 个结果", upTo: "「[Q]」至多 [N] 个结果（其余逐一核对后显示）",
        searching: "正在搜索「[Q]」…", failed: "搜索失败" };

  function convert(text, map) {
    if (!map || typeof text !== "string") return text;
    return Array.from(text).map(function (c) { return map[c] || c; }).join("");
  }
  function shown(text) { return hant ? convert(text, maps.toHant) : text; }
  function pageUrl(url) {  // a Simplified document URL (site-relative) -> this script's page
    return root + (hant ? "zh-Hant/" : "") + url;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  /** ASCII letters in lower case, nothing else changed (phrase_index.normalize: lengths stay). */
  function normalize(text) { return text.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); }

  // --- the query -----------------------------------------------------------------------------------
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
   *  (a document number: the archive's own form 〔〕 first, then the form typed). Every phrase is exact
   *  already: ASCII double quotes, which readers of other search engines type around a phrase, are
   *  dropped (the gazettes print Chinese quotation marks, which stay part of a phrase). */
  function phrasesOf(query) {
    return convert(query, maps.toHans).replace(/"/g, " ").split(/\s+/).filter(Boolean).map(function (phrase) {
      var number = numberOf(phrase);
      return number && number !== phrase ? [number, phrase] : [phrase];
    });
  }
  /** The grams a phrase is looked up by (phrase_index.lookup_grams). */
  function lookupGrams(phrase) {
    var chars = Array.from(normalize(phrase));
    if (chars.length <= MAX_GRAM) return [chars.join("")];
    var grams = [];
    for (var i = 0; i + MAX_GRAM <= chars.length; i++) grams.push(chars.slice(i, i + MAX_GRAM).join(""));
    return grams;
  }

  // --- the index -----------------------------------------------------------------------------------
  var meta = fetch(INDEX + "meta.json", { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("search-index/meta.json: " + r.status);
    return r.json();
  });
  var info = null;  // meta.json once loaded
  var files = {};
  function indexFile(path) { return INDEX + path + "?v=" + info.version; }
  /** A file of the index, gzip'd by the build (a bucket), as bytes; null where it does not exist. */
  function gzipFile(path) {
    if (!files[path]) {
      files[path] = fetch(indexFile(path)).then(async function (r) {
        if (r.status === 404) return null;  // a bucket no gram fell into
        if (!r.ok) throw new Error(path + ": " + r.status);
        var stream = r.body.pipeThrough(new DecompressionStream("gzip"));
        return new Uint8Array(await new Response(stream).arrayBuffer());
      });
    }
    return files[path];
  }
  function jsonFile(path) {
    if (!files[path]) {
      files[path] = fetch(indexFile(path)).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    return files[path];
  }

  /** A gram's 32-bit hash (phrase_index.gram_hash): FNV-1a over its code points, MurmurHash3's finaliser. */
  function gramHash(gram) {
    var h = 0x811c9dc5;
    Array.from(gram).forEach(function (c) { h = Math.imul(h ^ c.codePointAt(0), 0x01000193); });
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }
  function readVarint(bytes, at) {
    var value = 0, shift = 0, byte;
    do { byte = bytes[at.i++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return value;
  }
  /** The documents of a list (phrase_index.decode_list), in number order. */
  function decodeList(bytes) {
    var out = [];
    if (!bytes.length) return out;
    if (bytes[0] === 1) {
      for (var n = 0; n < info.count; n++) if (bytes[1 + (n >> 3)] >> (n & 7) & 1) out.push(n);
      return out;
    }
    var at = { i: 1 }, last = 0;
    while (at.i < bytes.length) { last += readVarint(bytes, at); out.push(last); }
    return out;
  }
  var encoder = new TextEncoder();
  /** A gram's lists {body, title}: empty when no document holds it. */
  async function gramLists(gram) {
    var bytes = await gzipFile("keys/" + (gramHash(gram) & (info.buckets - 1)) + ".bin");
    var key = encoder.encode(gram), at = { i: 0 };
    while (bytes && at.i < bytes.length) {
      var size = readVarint(bytes, at), start = at.i;
      at.i += size;
      var same = size === key.length;
      for (var k = 0; same && k < size; k++) same = bytes[start + k] === key[k];
      var bodySize = readVarint(bytes, at), body = bytes.subarray(at.i, at.i + bodySize);
      at.i += bodySize;
      var titleSize = readVarint(bytes, at), title = bytes.subarray(at.i, at.i + titleSize);
      at.i += titleSize;
      if (same) return { body: decodeList(body), title: decodeList(title) };
    }
    return { body: [], title: [] };
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }
  function union(a, b) { return Array.from(new Set(a.concat(b))).sort(function (x, y) { return x - y; }); }

  /** The documents that may hold a phrase (any of its forms) and whose title may: {body, title, exact}. */
  async function phraseLists(forms) {
    var body = [], title = [], exact = true;
    for (var f = 0; f < forms.length; f++) {
      var grams = lookupGrams(forms[f]);
      if (grams.length > 1) exact = false;
      var lists = await Promise.all(grams.map(gramLists));
      var formBody = lists[0].body, formTitle = lists[0].title;
      lists.slice(1).forEach(function (l) { formBody = intersect(formBody, l.body); formTitle = intersect(formTitle, l.title); });
      body = union(body, formBody);
      title = union(title, formTitle);
    }
    return { body: body, title: title, exact: exact };
  }

  var filterLists = null;
  /** The documents of one filter's value (filters.json: gaps between numbers). */
  async function filterDocuments(name, value) {
    filterLists = filterLists || jsonFile("filters.json");
    var gaps = ((await filterLists)[name] || {})[value] || [], out = [], last = 0;
    gaps.forEach(function (g) { last += g; out.push(last); });
    return out;
  }

  /** The candidates of a query, in the order they are shown, and whether each is known to hold every
   *  phrase: {numbers, exact}. Relevance: documents whose title (or number) holds every phrase first,
   *  then the others; within each, newest first. Documents are numbered by date (site/search.py). */
  async function candidates(query, filters, sort) {
    info = await meta;
    var phrases = phrasesOf(query);
    if (!phrases.length) return { numbers: [], exact: true };
    var body = null, title = null, exact = true;
    for (var i = 0; i < phrases.length; i++) {
      var lists = await phraseLists(phrases[i]);
      body = body ? intersect(body, lists.body) : lists.body;
      title = title ? intersect(title, lists.title) : lists.title;
      exact = exact && lists.exact;
      if (!body.length) return { numbers: [], exact: true };
    }
    var names = Object.keys(filters || {});
    for (var n = 0; n < names.length; n++) body = intersect(body, await filterDocuments(names[n], filters[names[n]]));
    var numbers;
    if (sort === "asc") numbers = body;
    else if (sort === "desc") numbers = body.slice().reverse();
    else {
      var inTitle = new Set(intersect(title, body));
      var newest = body.slice().reverse();
      numbers = newest.filter(function (d) { return inTitle.has(d); })
        .concat(newest.filter(function (d) { return !inTitle.has(d); }));
      // A document number finds its document first: among the documents whose number or title holds
      // it (few), the one whose number it is.
      var number = phrases.length === 1 ? numberOf(phrases[0][0]) : null;
      if (number && inTitle.size) {
        var head = numbers.slice(0, Math.min(inTitle.size, 30));
        var own = await Promise.all(head.map(async function (d) { return (await documentOf(d)).meta.doc_number === number; }));
        numbers = head.filter(function (d, k) { return own[k]; })
          .concat(head.filter(function (d, k) { return !own[k]; }), numbers.slice(head.length));
      }
    }
    return { numbers: numbers, exact: exact };
  }

  /** Document n as the index shows it: url, title, meta, text (runs joined by "\n"), anchors. */
  function documentOf(n) { return jsonFile("doc/" + n + ".json"); }

  /** Where each phrase occurs in the text: [[start, end]…] sorted; null when a phrase is missing. */
  function occurrences(text, phrases) {
    var lower = normalize(text), spans = [];
    for (var i = 0; i < phrases.length; i++) {
      var any = false;
      phrases[i].forEach(function (form) {
        var p = normalize(form), from = 0, at;
        while ((at = lower.indexOf(p, from)) >= 0) { spans.push([at, at + p.length]); any = true; from = at + 1; }
      });
      if (!any) return null;
    }
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  /** An excerpt around text[start]: a paragraph of text nodes and <mark>s for the phrases. */
  function excerpt(text, spans, start) {
    var from = Math.max(0, start - CONTEXT), to = Math.min(text.length, start + CONTEXT * 2);
    var head = text.lastIndexOf(RUN_END, start);  // begin at the run the phrase is in when that is near
    if (head >= from) from = head + 1;
    var p = el("p", "gazette-search__excerpt");
    var at = from;
    function put(s, marked) {
      s = shown(s.split(RUN_END).join(" "));
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
    var day = DAY.exec(anchor[1]);
    if (day) return day[1] + "年" + Number(day[2]) + "月" + Number(day[3]) + "日";
    return anchor[2];
  }
  function resultLink(text, href) {
    var title = el("p", "gazette-search__result-title");
    var link = el("a", "gazette-search__result-link", text);
    link.href = href;
    title.appendChild(link);
    return title;
  }

  /** A result, or null when the document's text does not hold every phrase (its trigrams are each
   *  somewhere in it, not together). */
  async function resultOf(n, phrases) {
    var doc = await documentOf(n);
    var spans = occurrences(doc.text, phrases);
    if (!spans) return null;
    var meta = doc.meta || {};
    var url = pageUrl(doc.url);
    var li = el("li", "gazette-search__result");
    li.appendChild(resultLink(shown(doc.title || doc.url), url));
    var facts = [meta.doc_number, meta.date, meta.issue && "《公报》" + meta.issue, meta.category].filter(Boolean);
    li.appendChild(el("p", "gazette-search__facts", shown(facts.join(" · "))));
    // sub-results: the headings the phrase occurs under (an article, a chronicle day), up to three;
    // the result's own excerpt only where the phrase first occurs before any of them
    var anchors = doc.anchors || [];
    if (!anchors.length || anchors[0][0] > spans[0][0]) li.appendChild(excerpt(doc.text, spans, spans[0][0]));
    var seen = new Set();
    for (var i = 0; i < spans.length && seen.size < 3; i++) {
      var anchor = null;
      anchors.forEach(function (a) { if (a[0] <= spans[i][0]) anchor = a; });
      if (!anchor || seen.has(anchor[1])) continue;
      seen.add(anchor[1]);
      var nested = el("div", "gazette-search__sub");
      nested.appendChild(resultLink(shown(anchorTitle(anchor)), url + "#" + anchor[1]));
      nested.appendChild(excerpt(doc.text, spans, spans[i][0]));
      li.appendChild(nested);
    }
    return li;
  }

  // --- the page ------------------------------------------------------------------------------------
  var form = el("form", "gazette-search__form");
  form.setAttribute("role", "search");
  var input = el("input", "gazette-search__input");
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
  var message = el("p", "gazette-search__message");
  message.setAttribute("role", "status");
  var list = el("ol", "gazette-search__results");
  var more = el("button", "gazette-search__more", T.more);
  more.type = "button";  // in the page only while there are more results
  box.appendChild(form);
  box.appendChild(message);
  box.appendChild(list);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  order.value = params.get("sort") || "";

  meta.then(function (loaded) {
    info = loaded;
    Object.keys(selects).forEach(function (name) {
      (info.filters[name] || []).forEach(function (value) {
        var option = el("option", null, shown(value));
        option.value = value;
        selects[name].appendChild(option);
      });
      selects[name].value = params.get(name) || "";
    });
    if (input.value) run();
  }, function () { message.textContent = T.failed; });

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
    if (!page || (found.length && (await documentOf(found[0])).meta.doc_number === number)) return null;
    var response = await fetch(page, { method: "HEAD" });
    if (!response.ok) return null;
    var li = el("li", "gazette-search__result gazette-search__cited");
    li.appendChild(resultLink(shown(number), hant ? root + "zh-Hant/" + page.slice(root.length) : page));
    li.appendChild(el("p", "gazette-search__facts", hant ? "未收錄於本庫：引用它的文件" : "未收录于本库：引用它的文件"));
    return li;
  }

  var generation = 0, pending = [], phrasesNow = [], total = 0, checked = true;
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
    var text = !total ? T.none : checked || !pending.length ? T.count : T.upTo;
    message.textContent = text.replace("[Q]", typed).replace("[N]", total);
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
    Object.keys(selects).forEach(function (name) { if (selects[name].value) filters[name] = selects[name].value; });
    try {
      var found = await candidates(query, filters, order.value);
      if (mine !== generation) return;
      var cited = await citedResult(phrasesNow = phrasesOf(query), found.numbers);
      if (mine !== generation) return;
      if (cited) list.appendChild(cited);
      pending = found.numbers.slice();
      total = pending.length;
      checked = found.exact;
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

  // For the benchmark (gazette bench --phrases): what a query finds, as document numbers (doc/<n>.json):
  // `candidates` from the index alone, `results` each checked against its text as the page checks what
  // it shows (a candidate of an exact lookup is not loaded).
  window.gazetteSearch = {
    candidates: async function (query) { return (await candidates(query)).numbers; },
    results: async function (query) {
      var found = await candidates(query), phrases = phrasesOf(query), kept = [];
      if (found.exact) return found.numbers;
      for (var i = 0; i < found.numbers.length; i += 50) {
        var batch = found.numbers.slice(i, i + 50);
        var docs = await Promise.all(batch.map(documentOf));
        batch.forEach(function (n, k) { if (occurrences(docs[k].text, phrases)) kept.push(n); });
      }
      return kept;
    }
  };
})();
