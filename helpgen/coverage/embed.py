"""Sentence embeddings for coverage (the optional `semantic` extra): one small seam, `Embedder.embed(texts)`.

Everything semantic in coverage goes through `Embedder.embed(texts) -> float32 array`, rows L2-normalised,
so tests drive the whole path with a small embedder they build themselves, and nothing here imports
sentence-transformers until `load_embedder` is called. See docs/semantic.md.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from helpgen.errors import HelpgenError

AUTO = "auto"
DEFAULT_MODELS = {"en": "all-MiniLM-L6-v2", "zh": "paraphrase-multilingual-MiniLM-L12-v2"}
BATCH = 1024  # texts per call to the model (one progress step; the model sorts them by length inside)
MAX_TOKENS = 128  # word pieces read per text: the question is at the top, and attention cost grows with length
CACHE_DIR = Path(".helpgen") / "cache"
Progress = Callable[[int, int], None]  # (texts embedded so far, total)


@runtime_checkable
class Embedder(Protocol):
    """What coverage needs from a model: a name (cache key) and L2-normalised float32 rows."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceEmbedder:
    """A sentence-transformers model on the CPU, in float32 (or bfloat16: `precision`, see `native_bf16`).

    `key` names the model and its precision (the article cache's key: vectors of two precisions never mix).
    """

    def __init__(self, model, name: str, batch_size: int = 32, precision: str = "float32") -> None:
        self.model, self.name, self.batch_size = model, name, batch_size
        if getattr(model, "max_seq_length", None):
            model.max_seq_length = min(model.max_seq_length, MAX_TOKENS)
        self.precision = "bfloat16" if precision == "bfloat16" or (precision == AUTO and native_bf16()) else "float32"
        if self.precision == "bfloat16":
            import torch

            model.to(torch.bfloat16)
        self.key = name if self.precision == "float32" else f"{name}@{self.precision}"
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Batches of similar length (little padding), run by one thread per core, each with one torch thread.

        Several torch threads on one batch wait for each other at every layer; on a busy machine they spin
        and burn up to three times the CPU (docs/semantic.md). One batch per core needs no such wait. The
        tokenizer is not thread-safe, so batches are tokenized one at a time. Rows come back in input order.
        """
        import torch

        if not len(texts):
            return np.zeros((0, 0), np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [[texts[i] for i in order[s:s + self.batch_size]] for s in range(0, len(texts), self.batch_size)]
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with ThreadPoolExecutor(max(1, min(threads, len(batches)))) as pool:
                parts = list(pool.map(self._batch, batches))
        finally:
            torch.set_num_threads(threads)
        out = np.empty((len(texts), parts[0].shape[1]), np.float32)
        out[order] = np.concatenate(parts)
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        import torch

        prepare = getattr(self.model, "preprocess", None) or self.model.tokenize  # `tokenize` before v6
        with self._lock:
            features = prepare(texts)
        with torch.inference_mode():
            return self.model(features)["sentence_embedding"].float().numpy()


def native_bf16() -> bool:
    """True when the CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX): precision "auto" then runs the
    model in bfloat16, about twice as fast, with vectors within 1e-4 cosine of float32 ones; elsewhere bfloat16
    is emulated and no faster. A property of the machine, not a timing: one machine always makes the same choice.
    Not the default: on the BANKING77 benchmark it moved k-means enough to find 14 gap topics of 20 instead
    of 16 (docs/semantic.md)."""
    try:
        import torch
    except ImportError:
        return False
    checks = (getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))
    return any(check() for check in checks if check is not None)


def model_for(name: str, lang: str) -> str:
    """`auto` -> the documented default model for the tickets' language; any other name as given."""
    if name != AUTO:
        return name
    return DEFAULT_MODELS["zh" if lang.lower().startswith("zh") else "en"]


def load_embedder(name_or_path: str, base: Path | None = None, precision: str = "float32") -> SentenceEmbedder:
    """Load a sentence-transformers model from a local folder or by name (Hugging Face hub or its cache).

    A relative folder is looked up under `base` (the KB for helpgen.yml) and then the working directory.
    `precision`: "float32" (the default), "bfloat16", or "auto" (bfloat16 where the CPU has it natively).
    Raises a one-line HelpgenError when the extra is missing or the model cannot be had.
    """
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise HelpgenError(f"model {name_or_path} needs the semantic extra: pip install 'helpgen[semantic]', "
                           "or leave the model out for lexical matching") from None
    _quiet_loading()
    candidates = [Path(name_or_path).expanduser()]
    if base is not None and not candidates[0].is_absolute():
        candidates.insert(0, Path(base) / name_or_path)
    folder = next((p for p in candidates if p.exists()), None)
    if folder is not None:
        if not (folder / "config.json").is_file() and not (folder / "modules.json").is_file():
            raise HelpgenError(f"{folder} is not a sentence-transformers model folder (no modules.json or "
                               "config.json): pass a folder saved with SentenceTransformer.save()")
        try:
            model = SentenceTransformer(str(folder), device="cpu")
        except Exception as exc:  # a broken folder: torch, safetensors and tokenizers raise many kinds
            raise HelpgenError(f"{folder}: cannot load the model ({type(exc).__name__}: "
                               f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})") from None
        return SentenceEmbedder(model, folder.resolve().name, precision=precision)
    if name_or_path.startswith((".", "~", "/")) or name_or_path.count("/") > 1 or "\\" in name_or_path:
        raise HelpgenError(f"model folder {name_or_path} does not exist: pass the folder of a saved "
                           "sentence-transformers model")
    try:
        model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
    except Exception:
        try:
            with _quiet("huggingface_hub", "sentence_transformers", "transformers"):
                model = SentenceTransformer(name_or_path, device="cpu")
        except Exception:
            raise HelpgenError(f"model `{name_or_path}` is not in the local cache and cannot be downloaded "
                               "(no network?): download it once where there is network, or pass --model "
                               "PATH to a local sentence-transformers folder") from None
    return SentenceEmbedder(model, name_or_path, precision=precision)


def _quiet_loading() -> None:
    """No "Loading weights" bars from transformers: the CLI shows its own progress."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        pass


@contextmanager
def _quiet(*loggers: str):
    """Silence library loggers (download retries) while the one-line error says what went wrong."""
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in loggers]
    for log, _ in saved:
        log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for log, level in saved:
            log.setLevel(level)


def embed_texts(embedder: Embedder, texts: Sequence[str], progress: Progress | None = None,
                batch: int = BATCH, dtype=np.float16) -> np.ndarray:
    """Embeddings of `texts` in batches (identical texts embedded once), stored as `dtype` (float16 keeps
    a million 384-dimension rows in 768 MB; each batch is written straight to the rows of its texts, so no
    second copy is made). Rows are L2-normalised."""
    uniq: dict[str, int] = {}
    inverse = np.fromiter((uniq.setdefault(t, len(uniq)) for t in texts), np.int64, len(texts))
    order = list(uniq)
    del uniq
    perm = np.argsort(inverse, kind="stable")  # the rows of each distinct text, in distinct-text order
    bounds = np.searchsorted(inverse[perm], np.arange(len(order) + 1))
    out: np.ndarray | None = None
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        part = _checked(embedder.embed(chunk), len(chunk), embedder)
        if out is None:
            out = np.zeros((len(texts), part.shape[1]), dtype)
        rows = perm[bounds[start]:bounds[start + len(chunk)]]
        out[rows] = part[inverse[rows] - start]
        if progress:
            progress(start + len(chunk), len(order))
    return out if out is not None else np.zeros((0, 0), dtype)


def _checked(rows, n: int, embedder: Embedder) -> np.ndarray:
    rows = np.asarray(rows, np.float32)
    if rows.ndim != 2 or rows.shape[0] != n:
        raise HelpgenError(f"model {embedder.name} returned {rows.shape} for {n} texts: not a sentence embedder")
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


class EmbeddingCache:
    """Embeddings of article texts under KB/.helpgen/cache/, keyed by model name and each text's content hash.

    One file per model; only the texts asked for last time are kept, so it never grows past the KB.
    Safe to delete: it is rebuilt on the next run.
    """

    def __init__(self, folder: Path | None, model: str) -> None:
        self.folder = folder
        digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"embeddings-{digest}.npz" if folder is not None else None

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        known = self._load()
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        if missing:
            fresh = embed_texts(embedder, [t for _, t in missing], dtype=np.float32)
            known.update({k: fresh[i] for i, (k, _) in enumerate(missing)})
        if not texts:
            return np.zeros((0, 0), np.float32)
        out = np.stack([known[k] for k in keys]).astype(np.float32)
        if missing or len(known) != len(set(keys)):
            self._save({k: known[k] for k in sorted(set(keys))})
        return out

    def _load(self) -> dict[str, np.ndarray]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                return dict(zip(data["keys"].tolist(), data["rows"].astype(np.float32)))
        except (OSError, ValueError, KeyError):  # a damaged cache is rebuilt
            return {}

    def _save(self, rows: dict[str, np.ndarray]) -> None:
        if self.path is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".npz")
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=np.array(list(rows), dtype="U40"), rows=np.stack(list(rows.values())))
            os.replace(tmp, self.path)
        except OSError:  # a read-only KB still works, only without the cache
            return
