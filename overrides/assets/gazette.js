/* Gazette: keep the #anchor when switching script; copy-citation buttons on articles. No dependencies. */
(function () {
  "use strict";
  function meta(name) {
    var el = document.querySelector('meta[name="gazette:' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }
  var script = meta("script") || "zh-Hans";

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

  // Copy citation.
  var metaBox = document.querySelector(".doc-meta[data-cite-prefix]");
  if (!metaBox) return;
  var prefix = metaBox.getAttribute("data-cite-prefix");
  var number = metaBox.getAttribute("data-doc-number");
  var title = metaBox.getAttribute("data-doc-title");
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
    var text = prefix + (page ? "第" + page + "页" : "") + "，" +
      (number || "《" + title + "》") + " " + (label ? label.textContent.trim() : "") + " " +
      baseUrl + "#" + el.id;
    return text;
  }

  function copy(text, button) {
    button.setAttribute("data-citation", text);
    function done() {
      button.classList.add("copied");
      button.textContent = script === "zh-Hant" ? "已複製" : "已复制";
      setTimeout(function () {
        button.classList.remove("copied");
        button.textContent = script === "zh-Hant" ? "複製引用" : "复制引用";
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

  document.querySelectorAll("p.article[id^='art_']").forEach(function (p) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-cite";
    b.setAttribute("data-pagefind-ignore", "");
    b.title = script === "zh-Hant" ? "複製此條的引用格式" : "复制此条的引用格式";
    b.textContent = script === "zh-Hant" ? "複製引用" : "复制引用";
    b.addEventListener("click", function (ev) { ev.preventDefault(); copy(citation(p), b); });
    p.appendChild(b);
  });
})();
