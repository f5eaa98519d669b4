/* helpgen-widget.js: help from the help centre inside your product, in one file with no dependencies.

   <script src="https://help.example.com/assets/helpgen-widget.js"></script>
   (or <script src="/vendor/helpgen-widget.js" data-site="https://help.example.com/"></script>)

   helpgen.explain("P-1042", button)  -> shows the error's title, its one-line fix and a link in a popover
   helpgen.suggest("text")            -> Promise of the top 3 articles [{id, title, summary, url}]
   helpgen.notices("area")            -> Promise of the active notices for that area (all when omitted)
   helpgen.attach(root)               -> every [data-helpgen-error] element gets the tooltip and popover

   It reads articles.json, errors.json and notices.json from the help centre and sends nothing else. */
(function (global, document) {
  "use strict";
  var me = document.currentScript;
  var site = (me && me.getAttribute("data-site")) ||
    (me && me.src ? me.src.replace(/assets\/helpgen-widget\.js(?:[?#].*)?$/, "") : "./");
  if (site.slice(-1) !== "/") site += "/";
  var lang = (me && me.getAttribute("data-lang")) || "";
  var langDir = lang ? lang.replace(/\/?$/, "/") : "";
  var loaded = {};
  var popover = null;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  function load(path) {
    if (!loaded[path]) {
      loaded[path] = fetch(site + path).then(function (r) {
        if (!r.ok) throw new Error("helpgen: " + site + path + " answered " + r.status);
        return r.json();
      });
    }
    return loaded[path];
  }
  function abs(url) { return new URL(url, new URL(site, document.baseURI)).href; }

  /* Words of a text: Latin words of 2+ letters (a trailing "s" dropped), and CJK character pairs. */
  function words(text) {
    var out = [];
    String(text || "").toLowerCase().split(/[^\w\u3400-\u9fff\uf900-\ufaff]+/).forEach(function (w) {
      if (!w) return;
      if (CJK.test(w)) {
        if (w.length === 1) out.push(w);
        for (var i = 0; i + 1 < w.length; i++) out.push(w.substr(i, 2));
      } else if (w.length > 1) {
        out.push(w.length > 3 && w.slice(-1) === "s" ? w.slice(0, -1) : w);
      }
    });
    return out;
  }

  var FIELDS = [["title", 3], ["questions", 2], ["terms", 2], ["tags", 1.5], ["summary", 1]];
  var index = null;
  function articles() {
    if (!index) {
      index = load("articles.json").then(function (all) {
        var wanted = lang || (all[0] && all[0].lang);
        var byId = {};
        all.forEach(function (a) { if (a.lang === wanted || !byId[a.id]) byId[a.id] = a; });
        var docs = Object.keys(byId).sort().map(function (id) {
          var a = byId[id], weights = {};
          FIELDS.forEach(function (f) {
            var value = a[f[0]];
            words(Array.isArray(value) ? value.join(" ") : value).forEach(function (w) {
              weights[w] = Math.max(weights[w] || 0, f[1]);
            });
          });
          return { article: a, weights: weights };
        });
        var df = {};
        docs.forEach(function (d) { Object.keys(d.weights).forEach(function (w) { df[w] = (df[w] || 0) + 1; }); });
        return { docs: docs, df: df };
      });
    }
    return index;
  }

  function suggest(text, limit) {
    var query = words(text);
    return articles().then(function (idx) {
      var n = idx.docs.length;
      var scored = idx.docs.map(function (d) {
        var score = 0;
        query.forEach(function (w) {
          if (d.weights[w]) score += d.weights[w] * Math.log(1 + n / idx.df[w]);
        });
        return { doc: d, score: score };
      }).filter(function (s) { return s.score > 0; });
      scored.sort(function (a, b) { return b.score - a.score || (a.doc.article.id < b.doc.article.id ? -1 : 1); });
      return scored.slice(0, limit || 3).map(function (s) {
        var a = s.doc.article;
        return { id: a.id, title: a.title, summary: a.summary, url: abs(a.url) };
      });
    });
  }

  function lookup(code) {
    return load(langDir + "errors.json").then(function (errors) {
      var e = errors[code] || errors[String(code).toUpperCase()];
      return e ? { code: code, title: e.title, fix: e.summary || "", url: abs(e.url) } : null;
    });
  }

  function close(restore) {
    if (!popover) return;
    var p = popover;
    popover = null;
    p.el.remove();
    document.removeEventListener("keydown", p.onKey, true);
    document.removeEventListener("click", p.onClick, true);
    if (p.trigger) p.trigger.setAttribute("aria-expanded", "false");
    if (restore && p.trigger && p.trigger.focus) p.trigger.focus();
  }

  function show(info, trigger) {
    close(false);
    var el = document.createElement("div");
    var id = "helpgen-popover-" + Math.random().toString(36).slice(2, 8);
    el.id = id;
    el.className = "helpgen-popover";
    el.setAttribute("role", "dialog");
    el.setAttribute("aria-labelledby", id + "-title");
    el.tabIndex = -1;
    el.style.cssText = "position:absolute;z-index:2147483000;max-width:22rem;padding:.75rem 1rem;" +
      "background:#fff;color:#1d1d1f;border:1px solid #bbb;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.2);" +
      "font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif";
    var title = document.createElement("strong");
    title.id = id + "-title";
    title.textContent = info.code + ": " + info.title;
    var fix = document.createElement("p");
    fix.style.margin = ".4rem 0";
    fix.textContent = info.fix;
    var link = document.createElement("a");
    link.href = info.url;
    link.textContent = info.linkText || "Read the article";
    var shut = document.createElement("button");
    shut.type = "button";
    shut.setAttribute("aria-label", "Close");
    shut.textContent = "\u00d7";
    shut.style.cssText = "float:right;border:0;background:none;font-size:1.2rem;cursor:pointer;margin:-.4rem -.5rem 0 .5rem";
    shut.addEventListener("click", function () { close(true); });
    el.appendChild(shut);
    el.appendChild(title);
    if (info.fix) el.appendChild(fix);
    el.appendChild(link);
    document.body.appendChild(el);
    var box = trigger && trigger.getBoundingClientRect ? trigger.getBoundingClientRect() : null;
    el.style.left = (box ? box.left : 16) + global.scrollX + "px";
    el.style.top = (box ? box.bottom + 6 : 16) + global.scrollY + "px";
    if (trigger) {
      trigger.setAttribute("aria-expanded", "true");
      trigger.setAttribute("aria-controls", id);
    }
    var onKey = function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); close(true); }
      else if (ev.key === "Tab") {  /* keep focus inside: close button <-> link */
        var items = [shut, link], i = items.indexOf(document.activeElement);
        if (i === -1 || (ev.shiftKey && i === 0) || (!ev.shiftKey && i === items.length - 1)) {
          ev.preventDefault();
          items[ev.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length].focus();
        }
      }
    };
    var onClick = function (ev) { if (!el.contains(ev.target) && ev.target !== trigger) close(false); };
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("click", onClick, true);
    popover = { el: el, trigger: trigger, onKey: onKey, onClick: onClick };
    link.focus();
    return el;
  }

  function explain(code, trigger) {
    return lookup(code).then(function (info) {
      if (!info) return null;
      info.linkText = trigger && trigger.getAttribute && trigger.getAttribute("data-helpgen-link") || "";
      show(info, trigger || null);
      return info;
    });
  }

  function notices(area) {
    var today = new Date().toISOString().slice(0, 10);
    return load(langDir + "notices.json").then(function (data) {
      return (data.notices || []).filter(function (n) {
        if (n.until && n.until < today) return false;
        if (!area) return true;
        var a = String(area).replace(/^\/+|\/+$/g, "");
        if (!n.affects.length) return true;
        return n.affects.some(function (t) { t = t.replace(/^\/+|\/+$/g, ""); return t === a || a.indexOf(t + "/") === 0; }) ||
          n.articles.some(function (u) { return u.indexOf(a + "/") === 0 || u.indexOf(langDir + a + "/") === 0; });
      }).map(function (n) {
        return { id: n.id, title: n.title, severity: n.severity, body: n.body, since: n.since, until: n.until,
                 url: abs(n.url), articles: n.articles.map(abs) };
      });
    });
  }

  function attach(root) {
    var found = (root || document).querySelectorAll("[data-helpgen-error]");
    Array.prototype.forEach.call(found, function (el) {
      if (el.getAttribute("data-helpgen-wired")) return;
      el.setAttribute("data-helpgen-wired", "1");
      var code = el.getAttribute("data-helpgen-error");
      if (!/^(BUTTON|A)$/.test(el.tagName) && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.setAttribute("role", "button");
      }
      el.setAttribute("aria-haspopup", "dialog");
      el.setAttribute("aria-expanded", "false");
      lookup(code).then(function (info) { if (info) el.title = info.title + (info.fix ? " \u2014 " + info.fix : ""); });
      var open = function (ev) { ev.preventDefault(); explain(code, el); };
      el.addEventListener("click", open);
      el.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") open(ev); });
    });
  }

  global.helpgen = { site: site, explain: explain, suggest: suggest, notices: notices, attach: attach,
                     close: function () { close(true); } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { attach(); });
  else attach();
})(window, document);
