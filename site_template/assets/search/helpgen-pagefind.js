/* helpgen search, Pagefind backend: answers Material's search-worker messages from Pagefind.
 *
 * Inert unless the site was built with the Pagefind backend: helpgen/search/pagefind_index.py then
 * writes `window.helpgenSearchConfig` (with `backend: "pagefind"`) at the top of this file and
 * replaces Material's lunr worker with an idle one that only answers Material's setup.
 * Pagefind is loaded as soon as the page is (its files are preloaded from the page's <head>), in the
 * page (no worker). The search starts on the customer's keystroke (after DEBOUNCE_MS without
 * typing), before Material's worker has answered its setup; helpgen-search.js hands Material's QUERY
 * messages to this script, which finds that search done or under way and answers on the worker
 * object as the worker would. Material's search box, result list and markup
 * (`li.md-search-result__item > a`, result meta text) are untouched: this script only produces
 * the READY and RESULT messages Material's worker would send.
 *
 * Query: the same rewrite as the lunr backend where Pagefind allows it: question and filler words
 * dropped, Chinese split into the index's words, error codes and pasted error messages turned
 * into the tokens of their article's heavily weighted `codes` field. The words are searched
 * together first (Pagefind returns pages with every word it knows); when that finds fewer than
 * FULL_FIRST pages, each word is searched on its own and the scores are added, scaled by the
 * share of the words a page matches (customers' questions need an OR). Results are shown once the
 * fragments (title, URL, excerpt) of the first FIRST_FRAGMENTS pages are in; the rest follow.
 * Only the site's own files are fetched (the bundle in pagefind/ at the site root).
 */
(function () {
  "use strict";
  var READY = 1, RESULT = 3, MAX_RESULTS = 10, MAX_SECTIONS = 3, TOKEN_WEIGHT = 3, COVERAGE = 2, FULL_FIRST = 3;
  /* Results on screen as soon as the first FIRST_FRAGMENTS pages' fragments are in, the rest of the
     MAX_RESULTS follow; a query waits DEBOUNCE_MS for the next keystroke before Pagefind scores it
     (its index chunks are fetched meanwhile). */
  var FIRST_FRAGMENTS = 5, DEBOUNCE_MS = 60, EXCERPT_WORDS = 24;
  var RANKING = { pageLength: 0.0, termFrequency: 0.5, metaWeights: { codes: 10, title: 5, questions: 5, summary: 3, learned: 3, tags: 3, keywords: 2 } };  /* Pagefind ranking; measured: docs/benchmarks-search.md */
  var SEP = /[\s\-_,:;!?=\[\]()"'\/\\.\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u200b]+/;
  var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g, HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var state = { pagefind: null, loading: null, data: null, base: null, seq: 0, vocab: null, latest: 0, cache: null };

  function emit(worker, message) {
    worker.dispatchEvent(new MessageEvent("message", { data: message }));
  }

  /* Pagefind's JS, WebAssembly and metadata, loaded once, as soon as the page is (the customer may
     type before the page has finished loading). `ready` resolves when a search can run. */
  function load() {
    if (state.loading) return state.loading;
    var data = state.data, root = new URL(data.root || "", state.base);
    var opts = { baseUrl: root.pathname, excerptLength: EXCERPT_WORDS, ranking: RANKING };
    if (data.cache_tag) opts.metaCacheTag = data.cache_tag;  /* a stable entry URL the browser may cache */
    /* In the page, not in Pagefind's web worker: the page's <head> preloads the entry file, the
       metadata and the WebAssembly (pagefind_index.preload_links), which only the page's own fetches
       reuse; the worker would fetch its script and then those files one after the other. A search
       is short once the index holds no body text, and runs only after DEBOUNCE_MS without typing. */
    opts.noWorker = true;
    state.loading = import(new URL(data.bundle, state.base).href + "pagefind.js").then(function (pf) {
      state.pagefind = pf;
      return Promise.resolve(pf.options(opts))
        .then(function () { return pf.init ? pf.init() : null; })
        .then(function () { return pf; });
    });
    return state.loading;
  }

  function codeKey(code) { return code.toLowerCase().replace(/[^0-9a-z]/g, ""); }

  /* The words to search, each with a weight: content words 1, error-code and message tokens more. */
  function terms(query, data) {
    var lower = query.toLowerCase(), out = {}, stops = {};
    (data.stop_words || []).forEach(function (w) { stops[w] = true; });
    Object.keys(data.codes || {}).forEach(function (code) {
      if (/\d/.test(code) && code.indexOf(" ") < 0 && lower.indexOf(code) >= 0) out[codeKey(code)] = TOKEN_WEIGHT;
    });
    var key = " " + lower.split(SEP).filter(Boolean).join(" ") + " ";
    Object.keys(data.messages || {}).forEach(function (message) {
      if (key.trim() === message || (message.indexOf(" ") >= 0 && key.indexOf(" " + message + " ") >= 0))
        out[data.messages[message]] = TOKEN_WEIGHT;
    });
    var text = lower;
    (data.stop_words || []).filter(function (w) { return HAN.test(w); })
      .forEach(function (w) { text = text.split(w).join(" "); });
    if (data.vocabulary && data.vocabulary.length) {
      state.vocab = state.vocab || new Set(data.vocabulary);
      text = text.replace(HAN_RUN, function (run) { return " " + window.helpgenSplitHan(run, state.vocab).join(" ") + " ";  /* helpgen-search.js */ });
    }
    text.split(SEP).forEach(function (word) {
      if (word && !stops[word] && !(word in out)) out[word] = 1;
    });
    if (!Object.keys(out).length)  /* only question words ("how do i"): search them as typed, like lunr */
      lower.split(SEP).forEach(function (word) { if (word) out[word] = 1; });
    return out;
  }

  function escapeHTML(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /* All words in one Pagefind search (one scoring pass: fast on large sites); when that finds fewer
     than FULL_FIRST pages, one search per word (rankWords). */
  function rank(pf, words) {
    var names = Object.keys(words);
    if (names.length < 2 || !FULL_FIRST) return rankWords(pf, words);
    return pf.search(names.join(" ")).then(function (full) {
      var results = full && full.results || [];
      if (results.length < FULL_FIRST) return rankWords(pf, words);
      var all = {};
      names.forEach(function (w) { all[w] = true; });
      return results.slice(0, MAX_RESULTS).map(function (r) { return { result: r, score: r.score, matched: all }; });
    });
  }

  /* Search each word on its own and add up the scores (an OR, ranked by coverage). */
  function rankWords(pf, words) {
    var names = Object.keys(words);
    return Promise.all(names.map(function (w) { return pf.search(w); })).then(function (answers) {
      var pages = {};
      answers.forEach(function (answer, i) {
        if (!answer || !answer.results) return;
        answer.results.forEach(function (r) {
          var page = pages[r.id] || (pages[r.id] = { result: r, score: 0, matched: {} });
          page.score += r.score * words[names[i]];
          page.matched[names[i]] = true;
        });
      });
      var list = Object.keys(pages).map(function (id) {
        var p = pages[id];
        p.score *= Math.pow(Object.keys(p.matched).length / names.length, COVERAGE);
        return p;
      });
      list.sort(function (a, b) { return b.score - a.score || (a.result.id < b.result.id ? -1 : 1); });
      return list.slice(0, MAX_RESULTS);
    });
  }

  function item(page, doc, shown) {
    var terms = {};
    shown.forEach(function (w) { terms[w] = !!page.matched[w]; });
    var url = new URL(doc.url, location.href).href;
    var group = [{ location: url, title: escapeHTML(doc.meta && doc.meta.title || doc.url),
                   text: doc.excerpt || "", score: page.score, terms: terms }];
    (doc.sub_results || []).filter(function (s) { return s.url && s.url.indexOf("#") > 0; })
      .slice(0, MAX_SECTIONS).forEach(function (s) {
        group.push({ location: new URL(s.url, location.href).href, title: escapeHTML(s.title || ""),
                     text: s.excerpt || "", score: page.score / 2, terms: terms });
      });
    return group;
  }

  /* The ranked pages of a query, once per distinct set of words (the early listener below and
     Material's query share it); null when a newer query came within DEBOUNCE_MS. */
  function ranked(words) {
    var names = Object.keys(words);
    var key = names.map(function (w) { return w + "^" + words[w]; }).join(" ");
    if (state.cache && state.cache.key === key) return state.cache.promise;
    var id = ++state.latest;
    var promise = load().then(function (pf) {
      if (pf.preload) pf.preload(names.join(" ")).catch(function () {});  /* fetch its index chunks now */
      return new Promise(function (resolve) { setTimeout(resolve, DEBOUNCE_MS); }).then(function () {
        return id === state.latest ? rank(pf, words) : null;
      });
    });
    state.cache = { key: key, promise: promise };
    promise.catch(function () { if (state.cache && state.cache.promise === promise) state.cache = null; });
    return promise;
  }

  function answer(worker, query) {
    var seq = ++state.seq;
    var words = terms(query, state.data);
    var shown = Object.keys(words).filter(function (w) { return words[w] === 1; });
    if (!query.trim() || !Object.keys(words).length) {
      emit(worker, { type: RESULT, data: { items: [] } });
      return;
    }
    function show(pages, docs) {
      if (seq !== state.seq) return false;  /* a newer query is on its way */
      emit(worker, { type: RESULT, data: { items: docs.map(function (doc, i) { return item(pages[i], doc, shown); }) } });
      return true;
    }
    ranked(words).then(function (pages) {
      if (!pages) return;  /* superseded by a newer query */
      var first = pages.slice(0, FIRST_FRAGMENTS);
      return Promise.all(first.map(function (p) { return p.result.data(); })).then(function (docs) {
        if (!show(pages, docs) || pages.length <= first.length) return;
        return Promise.all(pages.slice(first.length).map(function (p) { return p.result.data(); }))
          .then(function (rest) { show(pages, docs.concat(rest)); });
      });
    }).catch(function (err) {
      if (seq === state.seq) emit(worker, { type: RESULT, data: { items: [] } });
      if (window.console) console.warn("helpgen search (Pagefind):", err);
    });
  }

  /* Start the search on the customer's keystroke, before Material's worker has answered its setup
     and passed the query on: Material's own query then finds the work done or under way. */
  function listen() {
    var onInput = function (ev) {
      var input = ev.target;
      if (!input || !input.classList || !input.classList.contains("md-search__input")) return;
      var words = terms(input.value || "", state.data);
      if (input.value.trim() && Object.keys(words).length) ranked(words).catch(function () {});
    };
    document.addEventListener("input", onInput, true);
    document.addEventListener("keyup", onInput, true);
  }

  function siteBase() {
    try {
      var cfg = JSON.parse(document.getElementById("__config").textContent);
      return new URL(cfg.base || ".", location.href);
    } catch (e) {
      return new URL(".", location.href);
    }
  }

  /* helpgen writes the settings at the top of this file when it builds a Pagefind site. */
  var config = window.helpgenSearchConfig;
  if (!config || config.backend !== "pagefind" || location.protocol === "file:") return;
  state.data = config;
  state.base = siteBase();
  listen();
  load().then(function (pf) { return pf.preload ? pf.preload("") : null; })
    .then(function () { document.documentElement.dataset.helpgenSearch = "ready"; })
    .catch(function (err) { if (window.console) console.warn("helpgen search (Pagefind):", err); });

  /* helpgen-search.js hands Material's QUERY messages (and the worker to answer on) to this. */
  window.helpgenPagefind = { data: config, query: answer, terms: function (q) { return terms(q, config); } };
})();
