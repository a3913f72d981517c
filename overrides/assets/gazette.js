/* Gazette: keep the #anchor when switching script; follow anchor aliases; citations (short and GB/T 7714) of a
   document and its articles, shown and copyable. No dependencies. */
(function () {
  "use strict";
  var script = document.documentElement.lang === "zh-Hant" ? "zh-Hant" : "zh-Hans";

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

  // Citations (converters/site/citing.py gives the facts in the facts box's data-cite): a short form and
  // GB/T 7714-2015, shown as text and copyable, for the document and for each article (or numbered heading
  // of a document without articles). The facts are the official ones as printed (Simplified, on both
  // scripts' pages) and the URL is the Simplified page's; a provision's page is cited only where the
  // source shows it, otherwise the document's pages.
  var metaBox = document.querySelector(".doc-meta[data-cite]");
  if (!metaBox) return;
  var facts;
  try { facts = JSON.parse(metaBox.getAttribute("data-cite")); } catch (e) { return; }
  var hant = script === "zh-Hant";
  // the page's own words (the citation itself is the official text, in Simplified)
  var T = hant
    ? {cite: "引用", copy: "複製", copied: "已複製", short: "簡式", of: "的引用", doc: "本文件"}
    : {cite: "引用", copy: "复制", copied: "已复制", short: "简式", of: "的引用", doc: "本文件"};
  var hansMeta = document.querySelector('meta[name="gazette-hans-url"]');
  var baseUrl = (hansMeta ? new URL(hansMeta.content, location.href).href : location.href).split("#")[0];

  function pagesText(first, last) {
    return first == null ? "" : "第" + first + (last != null && last !== first ? "–" + last : "") + "页";
  }
  function docPages() { return facts.pages ? pagesText(facts.pages[0], facts.pages[1]) : ""; }
  function today() {
    var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  // provision: [label, page or null, part (《enclosed title》 or 附件1) or null], or none for the document
  function shortForm(provision, anchor) {
    var page = provision && provision[1] != null ? pagesText(provision[1]) : docPages();
    var head = "《" + facts.journal + "》" + facts.issue + page + "，";
    if (!provision) {
      return head + (facts.docNumber || "") + "《" + facts.title + "》 " + baseUrl;
    }
    var who = facts.docNumber || "《" + facts.title + "》";
    return head + who + (provision[2] || " ") + provision[0] + " " + baseUrl + "#" + anchor;
  }
  function gbtForm(provision, anchor) {
    var title = facts.title + (facts.docNumber ? ": " + facts.docNumber : "");
    if (provision) title += ": " + (provision[2] || "") + provision[0];
    var issue = facts.number ? String(facts.number) : facts.issue.replace(/^\d+年[（(]?/, "").replace(/[）)]$/, "");
    var pages = provision && provision[1] != null ? String(provision[1])
      : (facts.pages ? facts.pages[0] + (facts.pages[1] !== facts.pages[0] ? "-" + facts.pages[1] : "") : "");
    return (facts.issuer ? facts.issuer + ". " : "") + title + "[J/OL]. " + facts.journal + ", " + facts.year +
      "(" + issue + ")" + (pages ? ": " + pages : "") + "[" + today() + "]. " + baseUrl +
      (anchor ? "#" + anchor : "") + ".";
  }

  function copy(text, button) {
    button.setAttribute("data-citation", text);
    function done() {
      button.classList.add("copied");
      button.textContent = T.copied;
      setTimeout(function () { button.classList.remove("copied"); button.textContent = T.copy; }, 2000);
    }
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); } catch (e) { /* the text stays visible in the panel */ }
      document.body.removeChild(ta); done();
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  // The two forms as visible text, each with its copy button.
  function panel(name, provision, anchor) {
    var box = document.createElement("div");
    box.className = "cite-panel";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", name + T.of);
    box.setAttribute("data-search-ignore", "");
    [["short", T.short, shortForm], ["gbt", "GB/T 7714", gbtForm]].forEach(function (form) {
      var text = form[2](provision, anchor);
      var line = document.createElement("p");
      var label = document.createElement("span");
      label.className = "cite-form";
      label.textContent = form[1];
      var body = document.createElement("span");
      body.className = "cite-text";
      body.setAttribute("data-form", form[0]);
      body.lang = "zh-Hans";  // the official facts as printed, on both scripts' pages
      body.textContent = text;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy-cite";
      b.setAttribute("data-form", form[0]);
      b.setAttribute("aria-label", T.copy + form[1] + T.of);
      b.textContent = T.copy;
      b.addEventListener("click", function (ev) { ev.preventDefault(); copy(form[2](provision, anchor), b); });
      line.appendChild(label); line.appendChild(body); line.appendChild(b);
      box.appendChild(line);
    });
    return box;
  }

  var docCell = metaBox.querySelector(".cite-doc");
  if (docCell) {
    docCell.textContent = "";
    docCell.appendChild(panel(T.doc, null, null));
  }

  // A provision's 引用 button, always visible beside its label's line end: it opens the panel below it.
  Object.keys(facts.provisions || {}).forEach(function (anchor) {
    var el = document.getElementById(anchor);
    if (!el) return;
    var provision = facts.provisions[anchor];
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "cite-toggle";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "cite-" + anchor);
    var shown = el.querySelector(".provision-link");
    toggle.setAttribute("aria-label", T.cite + (shown ? shown.textContent.trim() : provision[0]));
    toggle.setAttribute("data-search-ignore", "");
    toggle.textContent = T.cite;
    toggle.addEventListener("click", function (ev) {
      ev.preventDefault();
      var open = document.getElementById("cite-" + anchor);
      if (open) {
        open.hidden = !open.hidden;
      } else {
        open = panel(provision[0], provision, anchor);
        open.id = "cite-" + anchor;
        el.parentNode.insertBefore(open, el.nextSibling);
      }
      toggle.setAttribute("aria-expanded", String(!open.hidden));
    });
    el.appendChild(toggle);
  });
})();
