/* Gazette: keep the #anchor when switching script; follow anchor aliases; copy-citation buttons on articles. No dependencies. */
(function () {
  "use strict";
  var script = document.documentElement.lang === "zh-Hant" ? "zh-Hant" : "zh-Hans";
  var PAGE = script === "zh-Hant" ? "頁" : "页";

  // Anchor aliases (aliases.yml): an anchor this page no longer has leads to where it lives now, on
  // load and when a link within the page names it. The page lists only its own ({"old": "#new"} or
  // {"old": "../other-id/#new"}), in the facts box's data-anchor-aliases.
  var aliasBox = document.querySelector(".doc-meta[data-anchor-aliases]");
  var movedAnchors = {};
  try { movedAnchors = JSON.parse(aliasBox ? aliasBox.getAttribute("data-anchor-aliases") : "{}"); } catch (e) {}
  function followAnchorAlias() {
    var anchor = location.hash.slice(1);
    if (!anchor || document.getElementById(anchor) ||
        !Object.prototype.hasOwnProperty.call(movedAnchors, anchor)) return;
    location.replace(movedAnchors[anchor]);  // replace: Back does not return to the old anchor
  }
  followAnchorAlias();
  window.addEventListener("hashchange", followAnchorAlias);

  // Script switcher: same page, same anchor, other script.
  document.querySelectorAll("a.script-switch").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      // Material's own alternate-language handler (on body) would drop the #anchor: we handle it here.
      ev.stopPropagation();
      var href = a.getAttribute("href").split("#")[0];
      a.setAttribute("href", href + location.hash);
    });
  });
  window.addEventListener("hashchange", function () {
    document.querySelectorAll("a.script-switch, a.hans-link").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + location.hash);
    });
  });
  if (location.hash) window.dispatchEvent(new HashChangeEvent("hashchange"));

  // Every paragraph with an anchor gets its permalink, a pilcrow (not in the HTML: 50 bytes a paragraph).
  document.querySelectorAll(".md-typeset p.paragraph[id], .md-typeset p.attachments[id]").forEach(function (p) {
    if (p.querySelector("a.pilcrow")) return;
    var a = document.createElement("a");
    a.className = "provision-link pilcrow";
    a.href = "#" + p.id;
    a.textContent = "¶";
    p.appendChild(a);
  });
  // A citation of a document the archive does not hold leads to the page of the documents citing it.
  document.querySelectorAll("a.cite-external:not([title])").forEach(function (a) {
    a.title = script === "zh-Hant" ? "未收錄於本站：查看引用此文件的公文" : "未收录于本站：查看引用此文件的公文";
  });
  // A permalink's accessible name says which provision it links to ("¶" alone is read as "pilcrow", and
  // a page of identical names is a list a screen reader cannot choose from): its anchor read out,
  // art_15__para_2 -> 第15条第2款, hd_2__p_1 -> 第2项标题下第1段.
  var PART_NAMES = {chp: ["第", "章"], sec: ["第", "节"], art: ["第", "条"], para: ["第", "款"], item: ["第", "项"],
                    hd: ["第", "项标题下"], p: ["第", "段"], att: ["附件", ""], encl: ["附文", ""], day: ["", ""]};
  function anchorName(id) {
    var name = id.split("__").map(function (part) {
      var m = part.match(/^([a-z]+)_(.+)$/), words = m && PART_NAMES[m[1]];
      return words ? words[0] + m[2] + words[1] : part;
    }).join("").replace(/项标题下(?=第\d+项标题下)/g, "项").replace(/项标题下$/, "项");
    return script === "zh-Hant" ? name.replace(/条/g, "條").replace(/节/g, "節").replace(/项/g, "項")
      .replace(/标题/g, "標題") : name;
  }
  document.querySelectorAll("a.provision-link.pilcrow").forEach(function (a) {
    a.setAttribute("aria-label", (script === "zh-Hant" ? "連結：" : "链接：") + anchorName(a.parentNode.id));
  });
  // Headings' permalinks carry no title in the HTML: named and titled here, each with its heading.
  document.querySelectorAll("a.headerlink:not([aria-label])").forEach(function (a) {
    var heading = Array.prototype.filter.call(a.parentNode.childNodes, function (n) { return n !== a; })
      .map(function (n) { return n.textContent; }).join("").replace(/\s+/g, " ").trim();
    var label = (script === "zh-Hant" ? "連結到：" : "链接到：") + heading;
    a.setAttribute("aria-label", label);
    a.setAttribute("title", label);
  });

  // Wide tables scroll inside the text column; a scrolling box is reachable (and scrollable) by keyboard.
  document.querySelectorAll(".md-typeset table").forEach(function (t) {
    if (t.closest(".md-typeset__scrollwrap, .table-scroll") || t.classList.contains("issue-toc")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-scroll";
    t.parentNode.insertBefore(wrap, t);
    wrap.appendChild(t);
  });
  function markScrollable() {
    document.querySelectorAll(".md-typeset__scrollwrap, .table-scroll").forEach(function (w, n) {
      if (w.scrollWidth > w.clientWidth + 1) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        // numbered: regions of one page need names of their own to be told apart
        if (!w.hasAttribute("aria-label")) w.setAttribute("aria-label", "表格" + (n + 1) + (script === "zh-Hant" ? "（可左右捲動）" : "（可左右滚动）"));
        w.classList.add("scrollable");
      }
    });
  }
  window.addEventListener("load", markScrollable);
  window.addEventListener("resize", markScrollable);

  // A printed contents list: indent its entries by level (1 / 1.1 / 1.1.1, 一、/（一）).
  document.querySelectorAll(".printed-toc li").forEach(function (li) {
    var t = li.textContent.trim(), m = t.match(/^(\d+(?:[.．]\d+)*)/), level = 1;
    if (m) level = Math.min(m[1].split(/[.．]/).length, 3);
    else if (/^[（(][一二三四五六七八九十]+[）)]/.test(t)) level = 2;
    else if (/^第[一二三四五六七八九十百]+[节節]/.test(t)) level = 2;  // either script
    li.setAttribute("data-level", String(level));
  });
  // ...and link each entry to the heading it names in the text (the printed list itself carries no anchors).
  var headingByText = {};
  function norm(t) { return t.replace(/[¶\s　]/g, "").replace(/．/g, "."); }
  document.querySelectorAll(".md-typeset :is(h2,h3,h4,h5,h6)[id]").forEach(function (h) {
    var k = norm(h.textContent);
    if (!(k in headingByText)) headingByText[k] = h.id;
  });
  document.querySelectorAll(".printed-toc li").forEach(function (li) {
    var id = headingByText[norm(li.textContent)];
    if (!id || li.querySelector("a")) return;
    var a = document.createElement("a");
    a.href = "#" + id;
    while (li.firstChild) a.appendChild(li.firstChild);
    li.appendChild(a);
  });

  // Copy citation.
  var parts = document.querySelector(".doc-meta .cite-parts");
  if (!parts) return;
  var metaBox = parts.closest(".doc-meta");
  // The parts as text in the page (so the Traditional page cites in Traditional; once, not also in attributes).
  function part(name) {
    var el = parts.querySelector(".cite-" + name);
    return el ? el.textContent.trim() : "";
  }
  var prefix = part("prefix");
  var number = part("number");
  var title = part("title");
  var marks = Array.prototype.slice.call(document.querySelectorAll(".page-mark[data-page]"));
  var canonical = document.querySelector('link[rel="canonical"]');
  var baseUrl = canonical ? canonical.href.split("#")[0] : location.href.split("#")[0];

  function pageOf(el) {
    // The page the provision starts on: the last page start before it, or one at its very beginning.
    var page = metaBox.getAttribute("data-first-page") || null;
    var label = el.querySelector(".provision-link");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i];
      if (m.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && !m.contains(el)) {
        page = m.getAttribute("data-page");
      } else if (el.contains(m)) {
        var r = document.createRange();
        r.setStart(el, 0); r.setEndBefore(m);
        var before = r.toString().replace(label ? label.textContent : "", "").trim();
        if (!before) page = m.getAttribute("data-page");
        break;
      } else break;
    }
    return page;
  }

  function citation(el) {
    var label = el.querySelector(".provision-link");
    var page = pageOf(el);
    var text = prefix + (page ? "第" + page + PAGE : "") + "，" +
      (number || "《" + title + "》") + " " + (label ? label.textContent.trim() : "") + " " +
      baseUrl + "#" + el.id;
    return text;
  }

  function copy(text, button) {
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.setAttribute("data-citation", text);
    function done() {
      button.classList.add("copied");
      button.textContent = script === "zh-Hant" ? "已複製" : "已复制";
      setTimeout(function () {
        button.classList.remove("copied");
        button.textContent = button.getAttribute("data-label");
      }, 2000);
    }
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); } catch (e) { /* the text stays in data-citation */ }
      document.body.removeChild(ta); done();
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function button(label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-cite";
    b.setAttribute("data-pagefind-ignore", "");
    b.textContent = script === "zh-Hant" ? "複製引用" : "复制引用";
    b.title = label;
    b.setAttribute("aria-label", label);
    return b;
  }

  // The whole document: its printed pages (first–last) when known.
  var firstPage = metaBox.getAttribute("data-first-page");
  var lastPage = metaBox.getAttribute("data-last-page") || firstPage;
  var docButton = button(script === "zh-Hant" ? "複製本文件的引用格式" : "复制本文件的引用格式");
  docButton.classList.add("copy-doc");
  docButton.textContent = script === "zh-Hant" ? "複製本文引用" : "复制本文引用";
  docButton.addEventListener("click", function (ev) {
    ev.preventDefault();
    var pages = firstPage ? "第" + firstPage + (lastPage && lastPage !== firstPage ? "–" + lastPage : "") + PAGE : "";
    copy(prefix + pages + "，" + (number ? number + " " : "") + "《" + title + "》 " + baseUrl, docButton);
  });
  metaBox.appendChild(docButton);

  document.querySelectorAll("p.article[id^='art_']").forEach(function (p) {
    var label = p.querySelector(".provision-link");
    var name = label ? label.textContent.trim() : "";
    var b = button(script === "zh-Hant" ? "複製" + name + "的引用格式" : "复制" + name + "的引用格式");
    b.addEventListener("click", function (ev) { ev.preventDefault(); copy(citation(p), b); });
    p.appendChild(b);
  });

  // A document without articles (a plan, an opinion) is cited by its numbered headings: 1.1 编制目的.
  if (!document.querySelector("p.article[id^='art_']")) {
    document.querySelectorAll(".md-typeset :is(h2,h3,h4,h5,h6)[id^='hd_'], .md-typeset :is(h2,h3,h4,h5,h6)[id*='__hd_']")
      .forEach(function (h) {
        var name = Array.prototype.filter.call(h.childNodes, function (n) {
          return !(n.nodeType === 1 && (n.classList.contains("headerlink") || n.tagName === "BUTTON"));
        }).map(function (n) { return n.textContent; }).join("").replace(/\s+/g, " ").trim();
        var b = button(script === "zh-Hant" ? "複製「" + name + "」的引用格式" : "复制“" + name + "”的引用格式");
        b.addEventListener("click", function (ev) {
          ev.preventDefault();
          var page = pageOf(h);
          copy(prefix + (page ? "第" + page + PAGE : "") + "，" + (number || "《" + title + "》") + " " + name + " " +
               baseUrl + "#" + h.id, b);
        });
        h.appendChild(b);
      });
  }
})();
