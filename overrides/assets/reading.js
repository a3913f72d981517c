/* Reading a long document: its own table of contents (chapters, articles, numbered paragraphs; collapsible,
   following the scroll, in the sidebar on wide screens and behind a 目录 button on narrow ones), going to an
   article by number (15 or 十五), the previous and next article, and the lines a printed page carries (the
   citation, the page's address, the date printed). Built from the page's own markup (render.py's classes):
   nothing here is in the HTML, so a page without script still has the theme's contents of its headings.
   No dependencies. */
(function () {
  "use strict";
  var hant = document.documentElement.lang === "zh-Hant";
  function t(hans, hantText) { return hant ? hantText : hans; }

  var article = document.querySelector("article.md-content__inner");
  var meta = article && article.querySelector(".doc-meta");

  // ------------------------------------------------------------------ printed lines (every page)

  // What a printed page says about itself: where it came from and when it was printed.
  function printLines() {
    if (!article) return;
    var box = document.createElement("div");
    box.className = "print-only print-source";
    var canonical = document.querySelector('link[rel="canonical"]');
    var address = canonical ? canonical.href : location.href.split("#")[0];
    function line(text) {
      var p = document.createElement("p");
      p.textContent = text;
      return box.appendChild(p);
    }
    // the document's short citation as gazette.js (loaded before this script) wrote it in the facts box,
    // whose interactive citation rows print does not show: the official facts, in Simplified on both scripts
    var citation = meta && meta.querySelector(".cite-doc .cite-text[data-form='short']");
    if (citation) line("引用：" + citation.textContent.trim()).lang = "zh-Hans";
    line(t("网址：", "網址：") + address);
    var printed = document.createElement("p");
    function today() {  // the day it is printed: set now, and again when the browser prints
      var now = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
      printed.textContent = t("打印日期：", "列印日期：") + now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" +
        pad(now.getDate());
    }
    today();
    window.addEventListener("beforeprint", today);
    box.appendChild(printed);
    box.setAttribute("data-search-ignore", "");
    article.appendChild(box);
  }
  printLines();

  // Columns of short cells (序号, 备注: 修改) are marked, so that print, which wraps cells to fit every column
  // on the page, does not give them the width of one character.
  var SHORT_CELL = 6;
  if (article) article.querySelectorAll("table").forEach(function (table) {
    var longest = [];
    Array.prototype.forEach.call(table.rows, function (row) {
      if (Array.prototype.some.call(row.cells, function (c) { return c.colSpan > 1; })) return;
      Array.prototype.forEach.call(row.cells, function (c, i) {
        longest[i] = Math.max(longest[i] || 0, c.textContent.trim().length);
      });
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (c, i) {
        if (c.colSpan === 1 && longest[i] <= SHORT_CELL) c.classList.add("short-column");
      });
    });
  });

  if (!meta) return;  // the rest is for document pages

  // ------------------------------------------------------------------ the document's entries

  var after = article.querySelector(".doc-after");
  function inBody(el) {
    return !(after && after.contains(el)) && !el.closest(".printed-toc, .doc-meta, .md-sidebar");
  }
  function ownText(el) {  // an element's text without its permalinks and buttons
    var copy = el.cloneNode(true);
    copy.querySelectorAll("a.headerlink, a.pilcrow, button, .page-mark").forEach(function (x) { x.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  var HINT_CHARS = 16;  // what an article's entry shows of its text after the number
  var entries = [];
  article.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id], p.article[id], p.hd[id]").forEach(function (el) {
    if (!inBody(el)) return;
    if (el.tagName === "P") {
      var head = el.querySelector(".provision-heading");
      if (!head) return;
      var label = ownText(head);
      var rest = ownText(el).slice(label.length).trim();
      entries.push({el: el, level: +head.getAttribute("aria-level") || 4, label: label,
                    hint: rest.length > HINT_CHARS ? rest.slice(0, HINT_CHARS) + "…" : rest,
                    article: el.classList.contains("article")});
    } else {
      entries.push({el: el, level: +el.tagName.charAt(1), label: ownText(el), hint: "", article: false});
    }
  });
  var articles = entries.filter(function (e) { return e.article; });

  // ------------------------------------------------------------------ contents

  var contents = null, links = [];
  if (entries.length >= 2) {
    contents = document.createElement("nav");
    contents.className = "doc-contents";
    contents.setAttribute("aria-label", t("本文目录", "本文目錄"));
    contents.setAttribute("data-search-ignore", "");
    var title = document.createElement("p");
    title.className = "doc-contents__title";
    title.textContent = t("本文目录", "本文目錄");
    contents.appendChild(title);
    var rootList = document.createElement("ul");
    contents.appendChild(rootList);
    var stack = [{level: 0, list: rootList}];
    entries.forEach(function (e, i) {
      while (stack.length > 1 && stack[stack.length - 1].level >= e.level) stack.pop();
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + e.el.id;
      a.textContent = e.label;
      if (e.hint) {
        var hint = document.createElement("span");
        hint.className = "doc-contents__hint";
        hint.textContent = " " + e.hint;
        a.appendChild(hint);
      }
      links.push(a);
      var next = entries[i + 1];
      if (next && next.level > e.level) {
        // an entry with entries under it is collapsible: open at the top level (an enclosed text's title
        // shows its chapters), shut below (a chapter's articles show when it is opened or read)
        var open = stack.length === 1;
        var toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "doc-contents__toggle";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        // named by its entry; open or shut is said by aria-expanded
        toggle.setAttribute("aria-label", e.label + t("：下级条目", "：下級條目"));
        var sub = document.createElement("ul");
        sub.hidden = !open;
        li.className = "doc-contents__group";
        li.append(toggle, a, sub);
        stack[stack.length - 1].list.appendChild(li);
        stack.push({level: e.level, list: sub});
      } else {
        li.appendChild(a);
        stack[stack.length - 1].list.appendChild(li);
      }
    });
  }

  function expand(group, open) {
    var toggle = group.querySelector(":scope > .doc-contents__toggle");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    group.querySelector(":scope > ul").hidden = !open;
  }
  if (contents) contents.addEventListener("click", function (ev) {
    var toggle = ev.target.closest(".doc-contents__toggle");
    if (toggle) expand(toggle.parentNode, toggle.getAttribute("aria-expanded") !== "true");
  });

  // On wide screens the contents replace the theme's (headings only) in the right-hand sidebar; on narrow
  // screens, where the theme shows none, the 目录 button of the reading bar opens them in a dialog.
  var sidebar = document.querySelector(".md-sidebar--secondary .md-sidebar__inner");
  var dialog = null;
  if (contents) {
    if (sidebar) {
      var themeToc = sidebar.querySelector(".md-nav--secondary");
      if (themeToc) themeToc.hidden = true;
      sidebar.appendChild(contents);
    }
    dialog = document.createElement("dialog");
    dialog.className = "doc-contents-dialog";
    dialog.setAttribute("aria-label", t("本文目录", "本文目錄"));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "doc-contents-dialog__close md-button";
    close.textContent = t("关闭", "關閉");
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () { if (sidebar) sidebar.appendChild(contents); });
    contents.addEventListener("click", function (ev) {  // choosing an entry closes the dialog
      if (dialog.open && ev.target.closest("a")) dialog.close();
    });
  }
  function openContents() {
    dialog.insertBefore(contents, dialog.firstChild.nextSibling);
    dialog.showModal();
    var current = contents.querySelector("a[aria-current]") || contents.querySelector("a");
    if (current) { current.focus(); current.scrollIntoView({block: "center"}); }
  }

  // ------------------------------------------------------------------ where the reader is

  // where a linked provision lands: under the header (and the reading bar where it stays at the top)
  function readingLine() {
    var margin = entries.length ? parseFloat(getComputedStyle(entries[0].el).scrollMarginTop) : 0;
    var header = document.querySelector(".md-header");
    return Math.max(margin || 0, header ? header.getBoundingClientRect().bottom : 0) + 8;
  }
  // the last entry whose top has reached that line (the one being read)
  function currentIndex(list) {
    var line = readingLine(), found = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].el.getBoundingClientRect().top <= line) found = i; else break;
    }
    return found;
  }
  var highlighted = null;
  function highlight() {
    if (!contents) return;
    var i = currentIndex(entries);
    var link = i >= 0 ? links[i] : null;
    if (link === highlighted) return;
    if (highlighted) { highlighted.removeAttribute("aria-current"); highlighted.classList.remove("is-current"); }
    highlighted = link;
    if (!link) return;
    link.setAttribute("aria-current", "location");
    link.classList.add("is-current");
    for (var g = link.parentElement; g && g !== contents; g = g.parentElement) {
      if (g.classList.contains("doc-contents__group")) expand(g, true);
    }
    // keep it in view in the sidebar, without moving the page
    var box = contents.closest(".md-sidebar__scrollwrap");
    if (box) {
      var r = link.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - b.height / 2;
    }
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; highlight(); });
  }, {passive: true});
  window.addEventListener("load", highlight);
  window.addEventListener("hashchange", highlight);

  // ------------------------------------------------------------------ going to an article

  var DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9};
  var UNIT = {"十": 10, "百": 100, "千": 1000};
  // "15", "１５", "十五", "第十五条", "第15條" -> 15; anything else -> 0
  function articleNumber(text) {
    var s = text.replace(/\s/g, "").replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/^第/, "").replace(/[条條]$/, "");
    if (/^\d+$/.test(s)) return parseInt(s, 10);
    if (!/^[零〇一二两兩三四五六七八九十百千]+$/.test(s)) return 0;
    var total = 0, digit = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c in DIGIT) digit = DIGIT[c];
      else { total += (digit || 1) * UNIT[c]; digit = 0; }
    }
    return total + digit;
  }
  function goTo(el) {
    // the address names the article (a link to copy; the theme's anchors, our highlight follow it)
    if (location.hash !== "#" + el.id) location.hash = el.id; else el.scrollIntoView();
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus({preventScroll: true});
  }

  var bar = document.createElement("div");
  bar.className = "reading-bar";
  bar.setAttribute("data-search-ignore", "");
  if (contents) {
    var openButton = document.createElement("button");
    openButton.type = "button";
    openButton.className = "reading-bar__contents md-button";
    openButton.textContent = t("目录", "目錄");
    openButton.setAttribute("aria-haspopup", "dialog");
    openButton.addEventListener("click", openContents);
    bar.appendChild(openButton);
  }
  if (articles.length >= 2) {
    var form = document.createElement("form");
    form.className = "goto-article";
    form.setAttribute("aria-label", t("转到条文", "轉到條文"));
    var label = document.createElement("label");
    label.htmlFor = "goto-article-n";
    label.textContent = t("转到第", "轉到第");
    var input = document.createElement("input");
    input.id = "goto-article-n";
    input.type = "text";
    input.size = 4;
    input.autocomplete = "off";
    input.setAttribute("enterkeyhint", "go");
    input.placeholder = "15";
    var unit = document.createElement("span");
    unit.textContent = t("条", "條");
    unit.setAttribute("aria-hidden", "true");
    var go = document.createElement("button");
    go.type = "submit";
    go.className = "md-button";
    go.textContent = t("转到", "轉到");
    var status = document.createElement("span");
    status.className = "goto-article__status";
    status.setAttribute("role", "status");
    form.append(label, input, unit, go, status);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var n = articleNumber(input.value);
      // the text's own article first (art_15); an attachment's or enclosure's (att_1__art_15) otherwise
      var el = n && (document.getElementById("art_" + n) ||
                     article.querySelector("p.article[id$='__art_" + n + "']"));
      if (!el) {
        status.textContent = input.value.trim() ? t("本文没有", "本文沒有") + "第" + (n || input.value.trim()) +
          t("条", "條") : t("请输入条号，如 15 或 十五", "請輸入條號，如 15 或 十五");
        return;
      }
      status.textContent = "";
      goTo(el);
    });
    bar.appendChild(form);

    function step(delta) {
      var i = currentIndex(articles);
      var line = readingLine();
      // before the first article, "next" is the first; an article not yet at the top counts as not read
      if (delta > 0) i = i < 0 ? 0 : i + 1;
      else i = i < 0 ? -1 : (articles[i].el.getBoundingClientRect().top < line - 24 ? i : i - 1);
      if (i >= 0 && i < articles.length) goTo(articles[i].el);
    }
    [[-1, t("上一条", "上一條"), "prev"], [1, t("下一条", "下一條"), "next"]].forEach(function (spec) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "reading-bar__" + spec[2] + " md-button";
      b.textContent = spec[1];
      b.addEventListener("click", function () { step(spec[0]); });
      bar.appendChild(b);
    });
  }
  if (bar.childNodes.length) {
    meta.parentNode.insertBefore(bar, meta.nextSibling);
    // the browser placed a linked provision before the bar was there: place it again, under the bar
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
})();
