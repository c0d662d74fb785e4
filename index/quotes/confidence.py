"""How sure an attribution is, and how sure it must be to be shown as someone's words.

An attribution's confidence is the share of attributions resolved by the same rule (and of the same kind: direct,
mixed, indirect) that named the right speaker on PolNeAR's train split, smoothed towards PRIOR. The shares and the
threshold answers use are fitted by `python -m bench.attribution --split train --calibrate`, which writes
`calibration.json` beside this file; see docs/quotes.md."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field

CALIBRATION = Path(__file__).with_name("calibration.json")
PRIOR = 0.5
PRIOR_WEIGHT = 2.0
MIN_SAMPLES = 20
TARGET_PRECISION = 0.97
UNCHECKED = 0.5
"""The most a pronoun attribution of reported speech ("He noted that …") may score: PolNeAR's gold leaves most of
them without a name to check against, and read by hand in what-said answers most were wrong."""


class Calibration(BaseModel):
    """Right and wrong counts per rule, fitted on a split, and the threshold that keeps answers precise."""

    split: str = Field(description="the PolNeAR split it was fitted on")
    counts: dict[str, tuple[int, int]] = Field(description='"rule/kind" and "rule" -> (right, wrong)')
    answer_threshold: float = Field(
        description="the lowest confidence whose attributions, with all surer ones, "
        "were right at TARGET_PRECISION or more"
    )


@cache
def calibration() -> Calibration | None:
    return Calibration.model_validate(json.loads(CALIBRATION.read_text("utf-8"))) if CALIBRATION.exists() else None


def smoothed(right: int, wrong: int) -> float:
    return (right + PRIOR * PRIOR_WEIGHT) / (right + wrong + PRIOR_WEIGHT)


def _backoff(rule: str) -> list[str]:
    """ "continued-surname+others" -> itself, "continued-surname", "surname+others", "surname": the rule without
    its context suffixes, then the rule it derives from."""
    plain = rule.split("+")[0]
    base = rule.split("-", 1)[1] if rule.startswith(("continued-", "relative-")) else rule
    return list(dict.fromkeys([rule, plain, base, base.split("+")[0]]))


def confidence(rule: str, kind: str, name: str | None, fitted: Calibration | None = None) -> float:
    """The confidence of an attribution that `rule` resolved to `name` (0 when it names nobody): the smoothed share
    right of its rule and kind, or of its rule, or of the rule it derives from, whichever has MIN_SAMPLES first."""
    if name is None:
        return 0.0
    if kind == "indirect" and rule.removeprefix("continued-").startswith("pronoun"):
        return UNCHECKED
    fitted = fitted or calibration()
    if fitted is None:
        return PRIOR
    for key in (k for r in _backoff(rule) for k in (f"{r}/{kind}", r)):
        right, wrong = fitted.counts.get(key, (0, 0))
        if right + wrong >= MIN_SAMPLES:
            return round(smoothed(right, wrong), 3)
    right, wrong = fitted.counts.get(rule, (0, 0))
    return round(smoothed(right, wrong), 3)


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
