"""How sure an attribution is, and how sure it must be to be shown as someone's words.

An attribution's confidence is the share of attributions resolved by the same rule, in the same context and of the
same kind (direct, mixed, indirect), that named the right speaker on PolNeAR's train split, shrunk towards the
share of the broader rule it belongs to, so a rule seen a few times borrows from its family. The shares and the
threshold answers use are fitted by `python -m bench.attribution --split train --calibrate`, which writes
`calibration.json` beside this file; see docs/quotes.md."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field

from index.quotes.rules import Rule

CALIBRATION = Path(__file__).with_name("calibration.json")
PRIOR = 0.5
SHRINK = 5.0
"""How many attributions' worth of weight the broader rule's share has against a rule's own counts."""
TARGET_PRECISION = 0.97
UNCHECKED = 0.5
"""The most a pronoun attribution of reported speech ("He noted that …") may score: PolNeAR's gold leaves most of
them without a name to check against, and read by hand in what-said answers most were wrong. So may a quoted
fragment in the clause of a verb that is no verb of saying ("+framed": "his first videos show a “starkly different
person”"): on train about one in eight is another's words. Not capped: a pronoun statement right after one its
speaker made by name in the same paragraph ("+after": "Putin emphasized that …. He also dismissed …"), 46 of 47
right by CoreNLP's coreference on train and 24 of the 25 it leaves without a name right when read."""


class Calibration(BaseModel):
    """Right and wrong counts per rule, fitted on a split, and the threshold that keeps answers precise."""

    split: str = Field(description="the PolNeAR split it was fitted on")
    counts: dict[str, tuple[int, int]] = Field(
        description='"rule/kind" and each broader "rule/kind" it belongs to (see ancestors) -> (right, wrong)'
    )
    answer_threshold: float = Field(
        description="the lowest confidence whose attributions, with all surer ones, "
        "were right at TARGET_PRECISION or more"
    )


@cache
def calibration_version() -> str:
    """Which calibration confidences are computed with (a hash of its file): recorded with each article's
    attributions, so that a new calibration recomputes the stored confidences (`index.store.attributions`)."""
    data = CALIBRATION.read_bytes() if CALIBRATION.exists() else b""
    return hashlib.sha256(data).hexdigest()[:12]


@cache
def calibration() -> Calibration | None:
    return Calibration.model_validate(json.loads(CALIBRATION.read_text("utf-8"))) if CALIBRATION.exists() else None


def confidence(rule: Rule, kind: str, name: str | None, fitted: Calibration | None = None) -> float:
    """The confidence of an attribution that `rule` resolved to `name` (0 when it names nobody): the share right
    among the train attributions of its rule and kind, shrunk towards the share of the broader rule it belongs to
    (weight SHRINK), which is shrunk in turn, up to every rule of that kind and then PRIOR."""
    if name is None:
        return 0.0
    if (kind == "indirect" and rule.by_pronoun and "after" not in rule.flags) or "framed" in rule.flags:
        return UNCHECKED
    fitted = fitted or calibration()
    if fitted is None:
        return PRIOR
    share = PRIOR
    for key in reversed([f"{a}/{kind}" for a in rule.ancestors()]):
        right, wrong = fitted.counts.get(key, (0, 0))
        share = (right + SHRINK * share) / (right + wrong + SHRINK)
    return round(share, 3)


def answer_threshold() -> float:
    """The confidence an attribution needs to be used in answers (1.0, none, before a calibration exists)."""
    fitted = calibration()
    return fitted.answer_threshold if fitted is not None else 1.0


def fit_threshold(levels: list[tuple[float, int, int]], target: float = TARGET_PRECISION) -> float:
    """The lowest confidence level at which the attributions at or above it are right at `target` or more, from
    (confidence, right, wrong) per level; above every level (nothing answered) when no level gets there."""
    best = 1.01
    right = wrong = 0
    for level, r, w in sorted(levels, reverse=True):
        right, wrong = right + r, wrong + w
        if right + wrong and right / (right + wrong) >= target:
            best = level
    return best
