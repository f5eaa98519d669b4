/* helpgen search: query rewriting and "no results" help on top of Material's own search.
 *
 * - Rewrites each query before Material's search worker sees it: question words ("how", "my",
 *   "why"...) are dropped; each English word is sent twice: as itself (`word^1`: lunr stems it
 *   like the index, exact match) and as its stem with a trailing wildcard (`stem*`, as Material
 *   does for every term; `*stem*` when the stem starts no word of the index, so that it is found
 *   inside the KB's longer words); each pair of adjacent words adds one `pair^1` token (a phrase match
 *   with a title or question scores more); pasted error messages add their article's token; Chinese is split into
 *   the index's own words. `helpgen search` applies the same rewrite
 *   (helpgen/search/index.py: rewrite_query), so terminal and browser rank alike.
 * - When a query finds nothing, shows the top troubleshooting articles and the contact block with
 *   the promised response time; optionally reports the failed query to the feedback target.
 * The data comes from `config.helpgen` in search/search_index.json (written by helpgen).
 * With the Pagefind backend (window.helpgenPagefind, see helpgen-pagefind.js), Material's QUERY
 * messages are answered by helpgen-pagefind.js instead of the worker.
 * Material's search box and result markup are untouched.
 */
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, READY = 1, RESULT = 3;
  var state = { data: null, last: "", sent: {} };

  function siteBase() {
    try {
      var cfg = JSON.parse(document.getElementById("__config").textContent);
      return new URL(cfg.base || ".", location.href);
    } catch (e) {
      return new URL(".", location.href);
    }
  }

  function helpData() {
    if (state.data) return state.data;
    if (window.helpgenPagefind) state.data = window.helpgenPagefind.data;
    if (typeof __index !== "undefined" && __index.config && __index.config.helpgen)
      state.data = __index.config.helpgen;
    return state.data;
  }

  /* Fallback only: the data normally arrives with Material's own setup message. */
  function loadHelpData(then) {
    if (helpData() || state.loading || location.protocol === "file:") return;
    state.loading = true;
    fetch(new URL("search/search_index.json", siteBase()))
      .then(function (r) { return r.json(); })
      .then(function (j) { state.data = state.data || (j.config && j.config.helpgen) || null; then(); })
      .catch(function () {});
  }

  /* ---- query rewriting (keep in step with helpgen/search/index.py) ---- */
  var SEP = /[\s\-_,:;!?=\[\]()"'\/\\.\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u200b]+/;
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  function stripChinese(query, stops) {
    var words = stops.filter(function (w) { return HAN.test(w); })
      .sort(function (a, b) { return b.length - a.length || (a < b ? -1 : 1); });
    for (var i = 0; i < words.length; i++) query = query.split(words[i]).join(" ");
    return query;
  }

  /* Chinese: split into the index's own words (forward maximum matching), so that Material's
     worker, which cannot match a word at the very end of a Chinese run, gets one word per run. */
  var vocab = null;
  function splitHan(run, words) {
    var out = [], i = 0;
    while (i < run.length) {
      var j = Math.min(run.length, i + 8);
      while (j > i + 1 && !words.has(run.slice(i, j))) j--;
      out.push(run.slice(i, j));
      i = j;
    }
    return out;
  }

  /* Adjacent word pairs as one token each (helpgen.search.site_index.word_pairs): the index has
     the pairs of every article's title and questions in its `pairs` field, so a phrase match
     scores on top of its words. */
  function wordPairs(words) {
    if (typeof porterStem !== "function") return [];
    var stems = words.filter(function (w) { return /^[a-z]+$/.test(w); }).map(porterStem), out = [];
    for (var i = 0; i + 1 < stems.length; i++)
      if (stems[i] !== stems[i + 1]) out.push([stems[i], stems[i + 1]].sort().join("0"));
    return out;
  }

  /* Whether a word of the sorted list starts with `root` (index.py starts_a_word). */
  function startsAWord(root, words) {
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < root) lo = mid + 1; else hi = mid;
    }
    return lo < words.length && words[lo].indexOf(root) === 0;
  }

  function rewrite(query, data) {
    if (!data || /(^|\s)[+\-]\S|[~^*"]/.test(query)) return query;
    var stops = {};
    data.stop_words.forEach(function (w) { stops[w] = true; });
    var text = stripChinese(query.toLowerCase(), data.stop_words);
    if (data.vocabulary && data.vocabulary.length) {
      vocab = vocab || new Set(data.vocabulary);
      text = text.replace(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g, function (run) {
        return " " + splitHan(run, vocab).join(" ") + " ";
      });
    }
    var out = [], key = " " + query.toLowerCase().split(SEP).filter(Boolean).join(" ") + " ", extra = [];
    Object.keys(data.messages || {}).forEach(function (message) {  /* a pasted error message */
      if (key.trim() === message || (message.indexOf(" ") >= 0 && key.indexOf(" " + message + " ") >= 0))
        extra.push(data.messages[message] + "*");
    });
    var words = text.split(SEP).filter(function (word) { return word && !stops[word]; });
    words.forEach(function (word) {
      var terms = [word];
      if (/^[\x00-\x7f]+$/.test(word) && typeof porterStem === "function") {
        var root = porterStem(word);
        /* exact (lunr stems it) + stem prefix; a stem of 1-2 letters is no prefix ("gas" -> ga*
           would find garage, gauge): the word alone, at the weight of both (index.py MIN_PREFIX);
           a stem of min_infix+ letters that starts no word of the index is looked for inside
           words ("schedul" in "reschedul"): `*stem*` (site_index.long_words) */
        var inside = data.words && root.length >= data.min_infix && !startsAWord(root, data.words);
        terms = root.length < 3 ? [word + "^2"] : [word + "^1", (inside ? "*" : "") + root + "*"];
      }
      terms.forEach(function (term) { if (out.indexOf(term) < 0) out.push(term); });
    });
    wordPairs(words).forEach(function (t) { if (out.indexOf(t + "^1") < 0) out.push(t + "^1"); });
    extra.forEach(function (t) { if (out.indexOf(t) < 0) out.push(t); });
    return out.length ? out.join(" ") : query;
  }
  window.helpgenRewriteQuery = function (q) { return rewrite(q, helpData()); };
  window.helpgenSplitHan = splitHan;  /* shared with helpgen-pagefind.js */

  /* ---- mark readiness and results on <html> (Material renders first: its listener is older) ---- */
  function watchWorker(worker) {
    if (!worker.addEventListener || worker.__helpgen) return;
    worker.__helpgen = true;
    worker.addEventListener("message", function (ev) {
      var root = document.documentElement.dataset, type = ev.data && ev.data.type;
      if (type === READY) root.helpgenSearch = "ready";
      if (type === RESULT) root.helpgenResults = String(+(root.helpgenResults || 0) + 1);
    });
  }

  /* ---- results show the customer's own words, never the rewritten query ----
     Material lists a result's unmatched query terms ("Missing: ...") from the worker's `terms`,
     whose keys are the rewritten terms (`word^1`, `stem*`). Before Material reads a result message,
     its terms become the customer's words: a word is missing only when neither its exact form nor
     its stem matched. Material's listener is older than ours, so the MessageEvent's `data` getter
     is where the result can be changed before Material sees it. */
  function customerWords(query, data) {
    var stops = {};
    ((data && data.stop_words) || []).forEach(function (w) { stops[w] = true; });
    var text = data ? stripChinese(query.toLowerCase(), data.stop_words || []) : query.toLowerCase();
    var out = [];
    text.split(SEP).forEach(function (w) { if (w && !stops[w] && out.indexOf(w) < 0) out.push(w); });
    return out;
  }

  /* The words the worker highlighted in any field of a result (hidden fields included). */
  function marked(item) {
    var out = [];
    Object.keys(item).forEach(function (key) {
      var value = item[key];
      (Array.isArray(value) ? value : [value]).forEach(function (v) {
        if (typeof v !== "string" || v.indexOf("<mark>") < 0) return;
        v.replace(/<mark>([\s\S]*?)<\/mark>/g, function (m, word) { out.push(word.toLowerCase()); return m; });
      });
    });
    return out;
  }

  function customerTerms(item, query, data) {
    var marks = marked(item).map(function (m) {
      return /^[\x00-\x7f]+$/.test(m) && typeof porterStem === "function" ? porterStem(m) : m;
    });
    var matchedKeys = Object.keys(item.terms || {}).filter(function (k) { return item.terms[k]; });
    var out = {};
    customerWords(query, data).forEach(function (word) {
      var ascii = /^[\x00-\x7f]+$/.test(word);
      var stem = ascii && typeof porterStem === "function" ? porterStem(word) : word;
      out[word] = matchedKeys.indexOf(word) >= 0 || marks.some(function (m) {
        return ascii ? m.indexOf(stem) === 0 : m.indexOf(word) >= 0 || word.indexOf(m) >= 0;
      });
    });
    return out;
  }
  window.helpgenCustomerTerms = function (item, query) { return customerTerms(item, query, helpData()); };

  var cleaned = typeof WeakSet === "function" ? new WeakSet() : null;
  function cleanResult(message) {
    if (!message || message.type !== RESULT || !message.data || !message.data.items || !cleaned) return;
    if (cleaned.has(message)) return;
    cleaned.add(message);
    var query = state.last || "";
    if (window.helpgenRerank && !window.helpgenPagefind) window.helpgenRerank(message.data.items, query, helpData(), siteBase());
    message.data.items.forEach(function (group) {
      (group || []).forEach(function (item) {
        if (item && item.terms) item.terms = customerTerms(item, query, helpData());
      });
    });
  }
  var MessageEventProto = window.MessageEvent && window.MessageEvent.prototype;
  var dataProp = MessageEventProto && Object.getOwnPropertyDescriptor(MessageEventProto, "data");
  if (dataProp && dataProp.get && dataProp.configurable) {
    Object.defineProperty(MessageEventProto, "data", {
      configurable: true, enumerable: dataProp.enumerable,
      get: function () { var d = dataProp.get.call(this); cleanResult(d); return d; }
    });
  }

  /* ---- paste, drag and drop, IME and voice input search too: Material listens to `keyup` only ---- */
  function wireInput(input) {
    if (!input || input.__helpgenInput) return;
    input.__helpgenInput = true;
    var nudge = function (ev) {
      if (ev && ev.isComposing) return;  /* IME: search the composed text, on compositionend */
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    };
    input.addEventListener("input", nudge);
    input.addEventListener("compositionend", nudge);
  }

  /* ---- intercept messages to Material's search worker ---- */
  var W = window.Worker;
  if (W && W.prototype && W.prototype.postMessage) {
    var post = W.prototype.postMessage;
    W.prototype.postMessage = function (message) {
      if (message && message.type === SETUP && message.data && message.data.config) {
        state.data = message.data.config.helpgen || state.data;
        watchWorker(this);
      }
      if (message && message.type === QUERY && window.helpgenPagefind) {  /* Pagefind backend */
        watchWorker(this);
        state.last = message.data;
        return window.helpgenPagefind.query(this, String(message.data));
      }
      if (message && message.type === QUERY && typeof message.data === "string") {
        state.last = message.data;
        message = { type: QUERY, data: rewrite(message.data, helpData()) };
      }
      return post.apply(this, [message].concat([].slice.call(arguments, 1)));
    };
  }

  /* ---- "no results" help ---- */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) {
      return k in values ? encodeURIComponent(values[k]) : m;
    });
  }

  function helpBlock(data, query) {
    var box = el("div", "helpgen-search-help");
    box.setAttribute("data-helpgen-no-results", "");
    box.appendChild(el("p", "helpgen-search-help__intro", data.text.none));
    var list = el("ul", "helpgen-search-help__list");
    data.troubleshooting.forEach(function (a) {
      var li = el("li"), link = el("a", null, a.title);
      link.href = new URL(a.url, siteBase()).href;
      li.appendChild(link);
      list.appendChild(li);
    });
    box.appendChild(list);
    var contact = el("p", "helpgen-search-help__contact",
      data.text.contact.replace("{time}", data.support.response_time));
    box.appendChild(contact);
    [["email", data.support.email && "mailto:" + data.support.email], ["url", data.support.url]]
      .forEach(function (pair) {
        if (!pair[1]) return;
        var a = el("a", "md-button helpgen-search-help__button", data.text[pair[0]]);
        a.href = pair[1];
        box.appendChild(a);
      });
    if (data.feedback.failed_searches && /^mailto:/.test(data.feedback.url)) {
      var report = el("a", "helpgen-search-help__report", data.text.report);
      report.href = fill(data.feedback.url, { id: "search", title: query, url: location.href, rating: "0" });
      box.appendChild(report);
    }
    return box;
  }

  function reportFailed(data, query) {
    var url = data.feedback.url;
    if (!data.feedback.failed_searches || !/^https?:/.test(url) || state.sent[query]) return;
    state.sent[query] = true;
    var target = fill(url, { id: "search", title: query, url: location.href, rating: "0" });
    try { navigator.sendBeacon(target); } catch (e) {}
  }

  var timer = null;
  function update() {
    var result = document.querySelector(".md-search-result");
    var input = document.querySelector(".md-search__input");
    if (!result || !input) return;
    var list = result.querySelector(".md-search-result__list");
    var old = result.querySelector(".helpgen-search-help");
    var query = input.value.trim();
    var empty = query && list && list.children.length === 0;
    var data = helpData();
    if (empty && !data) loadHelpData(update);
    if (!empty || !data) {
      if (old) old.remove();
      return;
    }
    if (old && old.getAttribute("data-query") === query) return;
    if (old) old.remove();
    var box = helpBlock(data, query);
    box.setAttribute("data-query", query);
    var meta = result.querySelector(".md-search-result__meta");
    result.insertBefore(box, meta ? meta.nextSibling : result.firstChild);
    clearTimeout(timer);
    timer = setTimeout(function () { if (input.value.trim() === query) reportFailed(data, query); }, 1500);
  }

  function watch() {
    wireInput(document.querySelector(".md-search__input"));
    var result = document.querySelector(".md-search-result");
    if (!result || !window.MutationObserver) return;
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      setTimeout(function () { pending = false; update(); }, 30);
    }).observe(result, { childList: true, subtree: true, characterData: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
