"""Semantic coverage through the `embed(texts)` seam, with a small deterministic embedder built here
(hashed bags of analyser words): matching, verdicts, clustering, nearest article, cache, report, CLI errors.
Nothing is downloaded; the test with a real (tiny, random) sentence-transformers model is in
test_semantic_model.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.feature_extraction.text import HashingVectorizer

from test_coverage_fixtures import ARTICLE, ARTICLES, GAP, OFF_TOPIC, PHRASES, history, make_kb, ticket, verdicts
from helpgen.cli import main as cli
from helpgen.config import parse_config
from helpgen.coverage import semantic
from helpgen.coverage.analyse import analyse
from helpgen.coverage.embed import EmbeddingCache, embed_texts, model_for
from helpgen.coverage.match import tokens
from helpgen.errors import ConfigError


class HashEmbedder:
    """Hashed bag of stemmed words and word pairs, L2-normalised: a deterministic stand-in for a model."""

    name = "hash-test"

    def __init__(self) -> None:
        self.vec = HashingVectorizer(n_features=1024, analyzer=self._features, alternate_sign=False, norm="l2")
        self.texts: list[str] = []

    @staticmethod
    def _features(text: str) -> list[str]:
        toks = tokens(text, None)
        return list(toks) + [f"{a} {b}" for a, b in zip(toks, toks[1:])]

    def embed(self, texts):
        self.texts += list(texts)
        return self.vec.transform(list(texts)).toarray().astype(np.float32)


@pytest.fixture(scope="module")
def with_history():
    return analyse(make_kb(), history(), embedder=HashEmbedder())


def test_semantic_history_routes_documented_questions(with_history):
    v = verdicts(with_history)
    assert with_history.data["calibration"]["mode"] == "semantic+history"
    assert with_history.data["calibration"]["model"] == "hash-test"
    docs = [(f"{aid}-{i}", aid) for aid, ps in PHRASES.items() for i in range(len(ps))]
    right = sum(v[tid][0] and v[tid][1] == aid for tid, aid in docs)
    assert right >= 0.8 * len(docs), right


def test_semantic_history_finds_the_planted_gap_and_its_nearest_article(with_history):
    v = verdicts(with_history)
    assert sum(not v[f"gap-{i}"][0] for i in range(len(GAP))) >= 0.8 * len(GAP)
    ids, counts = np.unique([v[f"gap-{i}"][2] for i in range(len(GAP)) if v[f"gap-{i}"][2] > 0], return_counts=True)
    assert counts.max() >= 0.7 * len(GAP)
    gap = next(g for g in with_history.data["gaps"] if g["id"] == int(ids[counts.argmax()]))
    assert "apple" in gap["label"].lower()
    assert all("apple" in e.lower() for e in gap["examples"])
    # the nearest article comes from the embeddings: apple pay questions are about adding a card
    assert gap["nearest_article"] in ARTICLES and 0 < gap["nearest_score"] <= 1


def test_semantic_history_never_covers_off_topic(with_history):
    v = verdicts(with_history)
    assert not any(v[f"ood-{i}"][0] for i in range(len(OFF_TOPIC)))


def test_semantic_without_history_matches_on_article_text():
    kb = make_kb()
    tickets = [ticket(f"{aid}-{i}", p, n, reply=None) for n, (aid, i, p) in enumerate(
        (aid, i, p) for aid, ps in sorted(PHRASES.items()) for i, p in enumerate(ps))]
    tickets += [ticket(f"gap-{i}", p, 100 + i, reply=None) for i, p in enumerate(GAP)]
    result = analyse(kb, tickets, embedder=HashEmbedder())
    v = verdicts(result)
    cal = result.data["calibration"]
    assert cal["mode"] == "semantic" and cal["questions"] == 18
    assert 0 < cal["min_similarity"] < 1
    docs = [(f"{aid}-{i}", aid) for aid, ps in PHRASES.items() for i in range(len(ps))]
    right = sum(v[tid][0] and v[tid][1] == aid for tid, aid in docs)
    assert right >= 0.6 * len(docs), right
    assert sum(not v[f"gap-{i}"][0] for i in range(len(GAP))) >= 0.8 * len(GAP)


def test_semantic_without_articles_calls_everything_a_gap():
    from dataclasses import replace

    kb = replace(make_kb(), articles=())
    tickets = [ticket(f"gap-{i}", p, i, reply=None) for i, p in enumerate(GAP)]
    result = analyse(kb, tickets, embedder=HashEmbedder())
    assert not result.rows.verdict.any()
    assert result.data["gaps"] and all(g["nearest_article"] is None for g in result.data["gaps"])


def test_semantic_clustering_groups_by_embedding():
    rng = np.random.default_rng(0)
    centres = np.eye(16, dtype=np.float32)[:3]
    Z = np.vstack([c + 0.05 * rng.standard_normal((30, 16)) for c in centres]).astype(np.float16)
    labels = semantic.cluster(Z / np.linalg.norm(Z.astype(np.float32), axis=1, keepdims=True), seed=0)
    assert len(set(labels)) == 3
    assert all(len(set(labels[i * 30:(i + 1) * 30])) == 1 for i in range(3))


def test_embed_texts_batches_once_per_text_with_progress():
    emb, seen = HashEmbedder(), []
    texts = ["change my pin", "close my account", "change my pin"] * 3
    Z = embed_texts(emb, texts, progress=lambda done, total: seen.append((done, total)), batch=1)
    assert Z.dtype == np.float16 and Z.shape == (9, 1024)
    assert emb.texts == ["change my pin", "close my account"]
    assert seen == [(1, 2), (2, 2)]
    assert np.allclose(np.linalg.norm(Z.astype(np.float32), axis=1), 1.0, atol=1e-2)
    assert (Z[0] == Z[2]).all()


def test_article_embeddings_are_cached_by_content(tmp_path):
    cache = tmp_path / ".helpgen" / "cache"
    emb = HashEmbedder()
    first = EmbeddingCache(cache, emb.name).embed(emb, ["alpha text", "beta text"])
    assert emb.texts == ["alpha text", "beta text"] and len(list(cache.iterdir())) == 1
    again = EmbeddingCache(cache, emb.name).embed(emb, ["beta text", "gamma text"])
    assert emb.texts == ["alpha text", "beta text", "gamma text"]  # only the new text was embedded
    assert (again[0] == first[1]).all()
    other = HashEmbedder()
    other.name = "another-model"
    EmbeddingCache(cache, other.name).embed(other, ["beta text"])
    assert other.texts == ["beta text"]  # keyed by model name too
    for f in cache.iterdir():
        f.unlink()
    EmbeddingCache(cache, emb.name).embed(emb, ["beta text"])  # safe to delete: rebuilt
    assert emb.texts[-1] == "beta text"


def test_analyse_caches_article_embeddings_under_the_kb(tmp_path):
    kb = make_kb(root=tmp_path)
    tickets = [ticket("a", "how do I change my PIN", 0, reply=None), ticket("b", "close my account", 1, reply=None)]
    emb = HashEmbedder()
    analyse(kb, tickets, embedder=emb)
    first = len(emb.texts)
    assert (tmp_path / ".helpgen" / "cache").is_dir()
    emb.texts.clear()
    analyse(kb, tickets, embedder=emb)
    assert emb.texts == ["how do I change my PIN", "close my account"] and first > 2


def test_auto_model_names_follow_the_language():
    assert model_for("auto", "en") == "all-MiniLM-L6-v2"
    assert model_for("auto", "zh-Hans") == "paraphrase-multilingual-MiniLM-L12-v2"
    assert model_for("my/model", "zh") == "my/model"


def test_coverage_model_in_config():
    assert parse_config("coverage:\n  model: all-MiniLM-L6-v2\n").coverage.model == "all-MiniLM-L6-v2"
    assert parse_config("name: x\n").coverage.model == ""
    with pytest.raises(ConfigError) as err:
        parse_config("name: x\ncoverage:\n  modle: x\n  model: [a, b]\n")
    assert str(err.value.format_message()).splitlines() == [
        "helpgen.yml:3: error: unknown key `modle` in `coverage`, did you mean `model`?",
        "helpgen.yml:4: error: `coverage.model` must be text, got a list"]


def _kb_folder(make_kb_dir, extra: dict | None = None):
    files = {f"articles/{aid}.md": ARTICLE.format(title=t, summary=s, questions="\n".join(f"  - {q}" for q in qs),
                                                  body=b) for aid, (t, s, qs, b) in ARTICLES.items()}
    rows = ["id,created_at,channel,subject,body,status,reply,replied_at"]
    rows += [f"t{i},2026-03-0{1 + i % 9}T10:00:00+00:00,email,,{p},open,," for i, p in
             enumerate(p for ps in PHRASES.values() for p in ps)]
    files["tickets/log.csv"] = "\n".join(rows) + "\n"
    return make_kb_dir({**files, **(extra or {})})


def test_cli_missing_model_folder_is_one_line(make_kb):
    kb = _kb_folder(make_kb)
    res = CliRunner().invoke(cli, ["coverage", str(kb), "--model", "./no/such/model"])
    assert res.exit_code == 1
    if _has_sentence_transformers():
        assert res.output == ("error: model folder ./no/such/model does not exist: pass the folder of a saved "
                              "sentence-transformers model\n")
    else:
        assert res.output == ("error: model ./no/such/model needs the semantic extra: pip install 'helpgen[semantic]', "
                              "or leave the model out for lexical matching\n")


def test_cli_model_name_offline_is_one_line(make_kb, tmp_path):
    kb = _kb_folder(make_kb)
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}
    res = subprocess.run([sys.executable, "-m", "helpgen", "coverage", str(kb), "--model", "no-such-model-xyz"],
                         capture_output=True, text=True, env=env, cwd=_repo())
    assert res.returncode == 1 and res.stdout == ""
    if _has_sentence_transformers():
        assert res.stderr == ("error: model `no-such-model-xyz` is not in the local cache and cannot be downloaded "
                              "(no network?): download it once where there is network, or pass --model PATH to "
                              "a local sentence-transformers folder\n")
    else:
        assert res.stderr.endswith("needs the semantic extra: pip install 'helpgen[semantic]', or leave the model "
                                   "out for lexical matching\n")
        assert len(res.stderr.splitlines()) == 1


def test_a_bad_coverage_model_in_helpgen_yml_points_at_its_line(make_kb):
    kb = _kb_folder(make_kb, {"helpgen.yml": "name: T\ncoverage:\n  model: ./models/none\n"})
    res = CliRunner().invoke(cli, ["coverage", str(kb)])
    assert res.exit_code == 1
    reason = ("model folder ./models/none does not exist: pass the folder of a saved sentence-transformers model"
              if _has_sentence_transformers() else "model ./models/none needs the semantic extra: pip install "
              "'helpgen[semantic]', or leave the model out for lexical matching")
    assert res.output == f"{kb / 'helpgen.yml'}:3: error: coverage.model: {reason}\n"


def test_lexical_path_is_untouched_without_a_model(make_kb):
    kb = _kb_folder(make_kb)
    out1, out2 = kb / "r1", kb / "r2"
    r1 = CliRunner().invoke(cli, ["coverage", str(kb), "-o", str(out1)])
    r2 = CliRunner().invoke(cli, ["coverage", str(kb), "-o", str(out2), "--model", ""])
    assert r1.exit_code == r2.exit_code == 0, r1.output
    data = json.loads((out1 / "coverage.json").read_text())
    assert data["calibration"]["mode"] == "text" and "model" not in data["calibration"]
    assert (out1 / "coverage.json").read_bytes() == (out2 / "coverage.json").read_bytes()
    assert not (kb / ".helpgen" / "cache").exists()


def _has_sentence_transformers() -> bool:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _repo():
    from pathlib import Path

    return str(Path(__file__).resolve().parents[1])


def test_no_history_routes_by_best_example_and_profile_together():
    """The best single example says article 0, but article 1's whole profile is far nearer: the route is the
    mean of both (article 1); the verdict score stays the best example cosine."""
    from helpgen.coverage.match import Calibration

    q = np.array([[1, 0, 0, 0]], np.float16)
    E = np.array([[0.8, 0.6, 0, 0], [0.78, 0, 0.6258, 0]], np.float32)
    P = np.array([[0.3, 0, 0, 0.9539], [0.7, 0, 0, -0.7141]], np.float32)
    v = semantic.Vectors(q, E, np.array([0, 1]), np.ones(2, np.float32), P, [])
    out = semantic.decide(["a0", "a1"], v, np.array([-1]), np.array([False]), np.array([False]), Calibration())
    assert out["article"].tolist() == [1] and out["covered"].tolist() == [True]
    assert abs(float(out["score"][0]) - 0.8) < 1e-3
    v.P = P[::-1].copy()  # swap the profiles: now both say article 0
    out = semantic.decide(["a0", "a1"], v, np.array([-1]), np.array([False]), np.array([False]), Calibration())
    assert out["article"].tolist() == [0]


def test_no_history_scores_a_question_asked_in_the_same_words_against_its_askers():
    """Two groups equally near an article: one asked in near-identical words (dense), one in scattered words.
    The dense group is judged against how near its askers are to one another, so it scores lower."""
    from helpgen.coverage.match import Calibration

    rng = np.random.default_rng(0)
    dense = 0.7 * np.eye(8)[0] + 0.714 * np.eye(8)[1] + 0.01 * rng.standard_normal((30, 8))
    spread = rng.standard_normal((30, 8)) * np.r_[0, 0, np.ones(6)]
    spread = 0.7 * np.eye(8)[0] + 0.714 * spread / np.linalg.norm(spread, axis=1, keepdims=True)
    Z = np.vstack([dense, spread])
    Z /= np.linalg.norm(Z, axis=1, keepdims=True)
    v = semantic.Vectors(Z.astype(np.float16), np.eye(8, dtype=np.float32)[:1], np.array([0]),
                         np.ones(1, np.float32), np.eye(8, dtype=np.float32)[:1], [])
    cal = Calibration()
    out = semantic.decide(["a"], v, np.full(60, -1), np.zeros(60, bool), np.zeros(60, bool), cal)
    raw = Z[:, 0]
    assert abs(raw[:30].mean() - raw[30:].mean()) < 0.02  # equally near the article ...
    assert out["score"][:30].mean() < out["score"][30:].mean() - 0.05  # ... but the dense group scores lower
    assert any("nearest tickets" in n and "typical ticket called covered" in n for n in cal.notes)


def _unit(*rows):
    M = np.array(rows, np.float32)
    return M / np.linalg.norm(M, axis=1, keepdims=True)


def test_no_history_routes_by_the_two_best_examples():
    """Article 0 has the single nearest example but nothing else near; article 1 has two examples almost as near.
    The route uses the mean of each article's two best examples (a soft maximum), so article 1 wins."""
    from helpgen.coverage.match import Calibration

    q = np.array([[1, 0, 0, 0]], np.float16)
    E = _unit([0.8, 0.6, 0, 0], [0.1, 0, 0.995, 0], [0.78, 0, 0, 0.6258], [0.77, -0.638, 0, 0])
    P = _unit([0.5, 0, 0, 0.866], [0.5, 0, 0, -0.866])  # both profiles equally near
    v = semantic.Vectors(q, E, np.array([0, 0, 1, 1]), np.ones(4, np.float32), P, [])
    out = semantic.decide(["a0", "a1"], v, np.array([-1]), np.array([False]), np.array([False]), Calibration())
    assert out["article"].tolist() == [1] and out["covered"].tolist() == [True]
    assert abs(float(out["score"][0]) - 0.8) < 1e-3  # the verdict score is still the best example


def test_no_history_asks_more_of_an_article_whose_questions_are_alike():
    """Two articles, each with 4 questions: article 0's are near-repeats of one another (left out, each scores
    ~0.99 against the rest), article 1's are four different aspects (~0.5). Tickets exactly as near article 0's
    first question as others are to article 1's score lower: each article's bar moves halfway to what its own
    questions score, from the KB alone."""
    from helpgen.coverage.match import Calibration

    d = 24
    e = np.eye(d, dtype=np.float32)
    q0 = [e[0] + 0.1 * e[2 + j] for j in range(4)]
    q1 = [e[1] + e[8 + j] for j in range(4)]
    E = _unit(*q0, *q1)
    P = _unit(sum(q0), sum(q1))
    x = _unit(E[0] + 0.9 * e[20])[0]  # as near article 0's first question ...
    y = _unit(E[4] + 0.9 * e[21])[0]  # ... as this is to article 1's first question
    Z = np.vstack([np.tile(x, (10, 1)), np.tile(y, (10, 1))]).astype(np.float16)
    v = semantic.Vectors(Z, E, np.array([0] * 4 + [1] * 4), np.ones(8, np.float32), P,
                         [(0, j) for j in range(4)] + [(1, 4 + j) for j in range(4)])
    cal = Calibration()
    out = semantic.decide(["a0", "a1"], v, np.full(20, -1), np.zeros(20, bool), np.zeros(20, bool), cal)
    assert out["article"][:10].tolist() == [0] * 10 or not out["covered"][:10].any()
    assert (np.asarray(out["article"])[10:][out["covered"][10:]] == 1).all()
    own0, own1 = float(E[0] @ E[1]), float(E[4] @ E[5])  # what each article's questions score, left out
    gap = float(out["score"][10:].mean() - out["score"][:10].mean())
    assert abs(gap - semantic.ARTICLE_W * (own0 - own1)) < 0.02, gap
    assert any("its article's own questions" in n for n in cal.notes)


def test_no_history_sparse_bonus_stops_at_the_sparsest_covered_tickets():
    """Tickets farther from their askers than usual are raised, but a lone ticket (no other ticket near it) gains no
    more than the sparsest 1% of tickets called covered: two lone tickets, at different distances from everything
    else, get the same raise, and no covered ticket gets more."""
    from helpgen.coverage.match import Calibration

    rng = np.random.default_rng(3)
    d, n = 64, 400
    e = np.eye(d, dtype=np.float32)
    noise = rng.standard_normal((n, d)).astype(np.float32) * np.r_[np.zeros(8), np.ones(d - 8)]
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    asked = e[0] + noise * rng.uniform(0.1, 0.6, (n, 1))  # one question asked by many, in varied words
    lone = _unit(0.7 * e[0] + 0.714 * e[6], 0.55 * e[0] + 0.835 * e[7])  # near the article, far from everyone
    Z = np.vstack([asked / np.linalg.norm(asked, axis=1, keepdims=True), lone]).astype(np.float16)
    v = semantic.Vectors(Z, e[:6], np.arange(6), np.ones(6, np.float32), e[:6], [])
    out = semantic.decide([f"a{i}" for i in range(6)], v, np.full(n + 2, -1), np.zeros(n + 2, bool),
                          np.zeros(n + 2, bool), Calibration())
    Zf = Z.astype(np.float32)
    raw = Zf @ e[0]
    S = Zf @ Zf.T
    np.fill_diagonal(S, -2)
    nn = np.argsort(-S, 1, kind="stable")[:, :semantic.SMOOTH_K]
    smoothed = (1 - semantic.SMOOTH_W) * raw + semantic.SMOOTH_W * raw[nn].mean(1)
    raised = np.asarray(out["score"], np.float32) - smoothed
    assert raised[n] > 0.02 and abs(raised[n] - raised[n + 1]) < 2e-3  # the same raise for both lone tickets
    assert raised[n] >= raised[:n].max() - 2e-3  # and no covered ticket is raised more


class MeaningEmbedder(HashEmbedder):
    """The hashed words, except that the given texts are embedded as the text they stand for (a model that
    knows a one-word question means a documented one)."""

    def __init__(self, means: dict[str, str]) -> None:
        super().__init__()
        self.means = means

    def embed(self, texts):
        return super().embed([self.means.get(t, t) for t in texts])


def test_the_word_rule_does_not_overrule_a_ticket_the_embeddings_place_in_the_kb():
    """`Transfer?` has too few words for the lexical off-topic rule, but the model reads it as a documented
    question: it stays covered. A short question the model does not place near the KB is still off-topic."""
    kb = make_kb()
    tickets = [ticket(f"{aid}-{i}", p, n, reply=None) for n, (aid, i, p) in enumerate(
        (aid, i, p) for aid, ps in sorted(PHRASES.items()) for i, p in enumerate(ps))]
    tickets += [ticket("short-doc", "Transfer?", 90, reply=None), ticket("short-off", "Tomatoes?", 91, reply=None)]
    result = analyse(kb, tickets, embedder=MeaningEmbedder({"Transfer?": "how long does a transfer take"}))
    v = verdicts(result)
    assert v["short-doc"][:2] == (True, "transfers/transfer-times")
    assert v["short-off"] == (False, "", -1)


@pytest.mark.parametrize("with_links", [False, True], ids=["no history", "with history"])
def test_float16_ticket_rows_give_the_float32_verdicts(with_links):
    """Ticket vectors are stored as float16 (half the memory) and scored in float32 chunks: on a small log, the
    verdicts, articles and off-topic calls are those of float32 rows."""
    from helpgen.coverage.match import Calibration

    kb = make_kb()
    arts = list(kb.in_language(""))
    ids = [a.id for a in arts]
    tickets = history()
    v = semantic.embed_all(HashEmbedder(), arts, [t.text for t in tickets], None)
    assert v.Z.dtype == np.float16
    linked = np.array([ids.index(t.linked_articles[0]) if with_links and t.linked_articles else -1 for t in tickets])
    answered = np.array([bool(t.replies) for t in tickets])
    outs, cal = [], Calibration()
    for Z in (v.Z, v.Z.astype(np.float32) / np.linalg.norm(v.Z.astype(np.float32), axis=1, keepdims=True)):
        cal = Calibration()
        outs.append(semantic.decide(arts, semantic.Vectors(Z, v.E, v.owner, v.weight, v.P, v.questions), linked,
                                    answered, np.zeros(len(tickets), bool), cal))
    assert cal.mode == ("semantic+history" if with_links else "semantic")
    for key in ("covered", "article", "off_topic"):
        assert outs[0][key].tolist() == outs[1][key].tolist(), key
    assert np.abs(outs[0]["score"] - outs[1]["score"]).max() < 5e-3
    assert outs[0]["covered"].any() and not outs[0]["covered"].all()


def test_top_is_each_rows_k_largest_columns():
    rng = np.random.default_rng(3)
    S = rng.standard_normal((50, 40)).astype(np.float32)
    for k in (1, 5, 40, 60):
        got = semantic._top(S, k)
        assert got.shape == (50, min(k, 40))
        assert (np.sort(got, 1) == np.sort(np.argsort(-S, 1)[:, :min(k, 40)], 1)).all()
    assert semantic._top(S[:, :0], 5).shape == (50, 0)
