"""The fast query path: the same model exported to ONNX once, run with onnxruntime + tokenizers (no torch).

The export reads the local weights (never downloads) and is cached in the data dir; sentence-transformers
stays the reference and the ingest path. Mean pooling and L2 normalisation as in all-MiniLM-L6-v2.
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embed.base import Embedder
from index.embed.transformer import resolve_model_path
from index.system import atomic_write

ONNX_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"


def onnx_dir(data_dir: Path, model: str) -> Path:
    return Path(data_dir) / "onnx" / model.replace("/", "--")


def export_onnx(model: str, target: Path, opset: int = 17) -> Path:
    """Export the transformer of a sentence-transformers model to `target/model.onnx` (with its tokenizer and
    pooling settings). Needs torch; run once, at set-up or first ingest."""
    import torch
    from transformers import AutoModel

    source = Path(resolve_model_path(model))
    transformer = AutoModel.from_pretrained(str(source), local_files_only=True).eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, return_dict=True
            )
            return out.last_hidden_state

    target.mkdir(parents=True, exist_ok=True)
    dummy = {
        "input_ids": torch.ones((1, 8), dtype=torch.long),
        "attention_mask": torch.ones((1, 8), dtype=torch.long),
        "token_type_ids": torch.zeros((1, 8), dtype=torch.long),
    }
    tmp = target / f".{ONNX_FILE}.tmp"
    dynamic = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "token_type_ids": {0: "batch", 1: "tokens"},
        "last_hidden_state": {0: "batch", 1: "tokens"},
    }
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder().eval(),
            tuple(dummy.values()),
            str(tmp),
            input_names=list(dummy),
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=opset,
            dynamo=False,
        )
    shutil.copyfile(source / "tokenizer.json", target / "tokenizer.json")
    config = json.loads((source / "sentence_bert_config.json").read_text())
    atomic_write(
        target / "embedder.json",
        json.dumps({"model": model, "max_seq_length": config.get("max_seq_length", 256)}).encode(),
    )
    tmp.replace(target / ONNX_FILE)
    return target


def quantize_onnx(folder: Path) -> Path:
    """An int8 copy of the exported model (weights quantised per channel, dynamically; no torch needed). Faster,
    but its vectors drift from the float model's and near ties reorder: opt-in, with the loss in docs/benchmarks.md."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = folder / f".tmp.{INT8_FILE}"
    quantize_dynamic(str(folder / ONNX_FILE), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    tmp.replace(folder / INT8_FILE)
    return folder / INT8_FILE


def exported(folder: Path) -> bool:
    return (folder / ONNX_FILE).exists() and (folder / "embedder.json").exists()


class OnnxEmbedder(Embedder):
    def __init__(self, folder: Path, threads: int = 1, int8: bool = False) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = json.loads((folder / "embedder.json").read_text())
        self.name = info["model"]
        self.max_tokens = int(info["max_seq_length"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Threads that spin after a query take the cores the question's parse needs next.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = folder / (INT8_FILE if int8 else ONNX_FILE)
        self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding()
        self._counter = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self.dim = int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer.encode_batch(list(texts[start : start + batch_size]))
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        if not out:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        return np.ascontiguousarray(np.vstack(out), dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self._counter.encode_batch(list(texts), add_special_tokens=False)] if texts else []
