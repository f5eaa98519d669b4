/* helpgen search: re-rank lunr's top results with the tickets' evidence.
 *
 * `config.helpgen.rerank` of search/search_index.json (written by helpgen from the `counts:` of
 * KB/search-terms.yml) holds, per article URL, its number of learning tickets and how many of them
 * used each word (stems; only words of at least `coverage.learn.min_tickets` tickets). The top
 * `depth` result groups are re-ordered by log(score) + weight * (Bernoulli) naive-Bayes
 * log-probability of the query under the article. Keep in step with helpgen/search/rerank.py (docs/search.md).
 * Without that data, or when no query word has counts, the order is left exactly as it is.
 */
(function () {
  "use strict";
  var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var HAN_WORD = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
  var cache = { data: null, vocab: null, han: null, total: 0, byUrl: null };

  function prepare(data) {
    if (cache.data === data) return;
    var vocab = {}, total = 0;
    Object.keys(data.articles).forEach(function (url) {
      total += data.articles[url][0];
      Object.keys(data.articles[url][1]).forEach(function (w) { vocab[w] = true; });
    });
    cache = { data: data, vocab: vocab, total: total, byUrl: null, size: Object.keys(vocab).length,
              han: Object.keys(vocab).filter(function (w) { return HAN_WORD.test(w); }).sort() };
  }

  function queryWords(query) {
    var out = [], text = query.toLowerCase();
    (text.match(HAN_RUN) || []).forEach(function (run) {
      cache.han.forEach(function (w) { if (run.indexOf(w) >= 0 && out.indexOf(w) < 0) out.push(w); });
    });
    (text.replace(HAN_RUN, " ").match(/[a-z]+/g) || []).forEach(function (word) {
      var k = typeof porterStem === "function" ? porterStem(word) : word;
      if (cache.vocab[k] && out.indexOf(k) < 0) out.push(k);
    });
    return out;
  }

  /* Bernoulli naive Bayes (helpgen/search/rerank.py log_evidence): every counted word the query
     has (log P) or lacks (log 1 - P) is evidence; P = (count + smoothing) / (tickets + 2 smoothing). */
  function logEvidence(words, entry, total, smoothing) {
    var n = entry[0], counts = entry[1], keys = Object.keys(counts);
    var p = function (c) { return (c + smoothing) / (n + 2 * smoothing); };
    var score = Math.log(n / total) + (cache.size - keys.length) * Math.log(1 - p(0));
    keys.forEach(function (w) { score += Math.log(1 - p(counts[w])); });
    words.forEach(function (w) { var q = p(counts[w] || 0); score += Math.log(q) - Math.log(1 - q); });
    return score;
  }

  /* The article entry of a result group. Material's worker has the locations as absolute URLs;
     search_index.json has them relative to the site (or language) root. */
  function entryOf(group, articles, base) {
    var loc = String(group && group[0] && group[0].location || "").split("#")[0];
    if (articles[loc]) return articles[loc];
    if (!cache.byUrl) {
      cache.byUrl = {};
      Object.keys(articles).forEach(function (k) { cache.byUrl[new URL(k, base).href] = articles[k]; });
    }
    return cache.byUrl[loc] || cache.byUrl[new URL(loc, location.href).href] || null;
  }

  function groupScore(group) {
    var best = 0;
    (group || []).forEach(function (item) { if (item && item.score > best) best = item.score; });
    return best;
  }

  /* Re-order `groups` (Material's result groups, best first) in place. */
  window.helpgenRerank = function (groups, query, help, base) {
    var data = help && help.rerank;
    if (!data || !data.articles || !groups || groups.length < 2 || !(data.weight > 0)) return groups;
    prepare(data);
    var words = queryWords(String(query || ""));
    var head = groups.slice(0, data.depth);
    if (!words.length) return groups;
    var nb = head.map(function (g) {
      var entry = entryOf(g, data.articles, base);
      return entry ? logEvidence(words, entry, cache.total, data.smoothing) : null;
    });
    var known = nb.filter(function (v) { return v !== null; });
    if (!known.length) return groups;
    var floor = Math.min.apply(null, known);
    var combined = head.map(function (g, j) {
      return Math.log(Math.max(groupScore(g), 1e-9)) + data.weight * (nb[j] === null ? floor : nb[j]);
    });
    var order = head.map(function (g, j) { return j; });
    order.sort(function (a, b) { return combined[b] - combined[a] || a - b; });
    var sorted = order.map(function (j) { return head[j]; });
    for (var i = 0; i < sorted.length; i++) groups[i] = sorted[i];
    return groups;
  };
})();
