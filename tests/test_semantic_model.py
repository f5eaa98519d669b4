"""A real sentence-transformers model, tiny and randomly initialised, built and saved here, loaded by
`helpgen coverage --model PATH`. Nothing is downloaded. Skips where the semantic extra is not installed."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from test_semantic import _kb_folder
from helpgen.cli import main

pytest.importorskip("sentence_transformers", reason="the semantic extra (pip install 'helpgen[semantic]') "
                    "is not installed")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")  # renames in v5+
WORDS = ("how do i can my the a to is what when where card pin change new arrive track account close delete "
         "top up money transfer exchange rate long take apple pay").split()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizer

    root = tmp_path_factory.mktemp("tiny")
    bert = root / "bert"
    bert.mkdir()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *(f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"),
             *"abcdefghijklmnopqrstuvwxyz0123456789?,.'"]
    (bert / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(dict.fromkeys(vocab)), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(bert)
    BertTokenizer(str(bert / "vocab.txt")).save_pretrained(bert)
    word = models.Transformer(str(bert), max_seq_length=64)
    model = SentenceTransformer(modules=[word, models.Pooling(word.get_word_embedding_dimension(), "mean"),
                                         models.Normalize()], device="cpu")
    model.save(str(root / "tiny-model"))
    return root / "tiny-model"


def test_coverage_loads_a_saved_model_folder(make_kb, tiny_model):
    kb = _kb_folder(make_kb)
    outs = [kb / "r1", kb / "r2"]
    for out in outs:
        res = CliRunner().invoke(main, ["coverage", str(kb), "--model", str(tiny_model), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert res.output.endswith(f"Report: {out}\n")
    data = json.loads((outs[0] / "coverage.json").read_text())
    assert data["calibration"]["model"] == "tiny-model"
    assert data["calibration"]["mode"] == "semantic"
    assert data["totals"]["tickets"] == 48
    assert [p.name for p in (kb / ".helpgen" / "cache").iterdir()][0].startswith("embeddings-")
    assert (outs[0] / "coverage.json").read_bytes() == (outs[1] / "coverage.json").read_bytes()  # deterministic


def test_coverage_model_from_helpgen_yml_is_relative_to_the_kb(make_kb, tiny_model):
    import shutil

    kb = _kb_folder(make_kb, {"helpgen.yml": "name: T\ncoverage:\n  model: models/tiny\n"})
    shutil.copytree(tiny_model, kb / "models" / "tiny")
    res = CliRunner().invoke(main, ["coverage", str(kb), "-o", str(kb / "out")])
    assert res.exit_code == 0, res.output
    assert json.loads((kb / "out" / "coverage.json").read_text())["calibration"]["model"] == "tiny"


def test_a_folder_that_is_not_a_model_is_one_line(make_kb, tmp_path):
    kb = _kb_folder(make_kb)
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(main, ["coverage", str(kb), "--model", str(tmp_path / "empty")])
    assert res.exit_code == 1
    assert res.output == (f"error: {tmp_path / 'empty'} is not a sentence-transformers model folder (no modules.json or "
                          "config.json): pass a folder saved with SentenceTransformer.save()\n")


def test_the_embedder_gives_the_models_own_vectors_in_input_order(tiny_model):
    """Batches run one per thread, each with one torch thread: the rows are those of `model.encode`, in the
    order of the texts, and torch's thread count is left as it was."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from helpgen.coverage.embed import load_embedder

    texts = [" ".join(WORDS[i % 7:i % 7 + 1 + i % 11]) for i in range(150)]  # 150 texts of 1-11 words, 3 batches
    emb = load_embedder(str(tiny_model))
    emb.batch_size = 64
    threads = torch.get_num_threads()
    got = emb.embed(texts)
    assert torch.get_num_threads() == threads
    want = SentenceTransformer(str(tiny_model), device="cpu").encode(texts, normalize_embeddings=True)
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.abs(got - want).max() < 1e-5
    assert emb.precision == "float32" and emb.key == "tiny-model"


def test_bfloat16_vectors_are_near_float32_ones_and_cached_apart(tiny_model, tmp_path):
    import numpy as np

    from helpgen.coverage.embed import EmbeddingCache, load_embedder

    texts = [" ".join(WORDS[i:i + 4]) for i in range(20)]
    f32, bf16 = load_embedder(str(tiny_model)), load_embedder(str(tiny_model), precision="bfloat16")
    assert bf16.key == "tiny-model@bfloat16" and bf16.name == "tiny-model"
    a, b = f32.embed(texts), bf16.embed(texts)
    cos = (a * b).sum(1) / np.linalg.norm(b, axis=1)
    assert cos.min() > 0.99 and not np.array_equal(a, b)
    EmbeddingCache(tmp_path, f32.key).embed(f32, texts)
    EmbeddingCache(tmp_path, bf16.key).embed(bf16, texts)
    assert len(list(tmp_path.iterdir())) == 2  # one cache file per precision: the two never mix
