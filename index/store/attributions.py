"""Attributions as the store keeps them: each quote's rule in columns (the resolver's rule, the ways it was
reached, its flags: `index.quotes.rules.Rule.columns`), and each article's calibration and name-normaliser
versions. A new calibration only changes confidences: they are recomputed from the stored rules when the store
is opened (`refresh`). A new name normaliser changes who is named: those articles wait for `whosaid
reattribute` (`stale`)."""

from __future__ import annotations

import sqlite3

from index.quotes.confidence import calibration_version, confidence
from index.quotes.rules import Rule
from index.text.names import NAMES_VERSION


def rule_columns(resolution: str | None) -> tuple[str, str | None, str | None]:
    return Rule.parse(resolution).columns


def backfill(db: sqlite3.Connection) -> None:
    """Fill the rule columns of the quotes stored before them (the migration to schema v12)."""
    rows = db.execute("SELECT id, resolution FROM quotes").fetchall()
    db.executemany(
        "UPDATE quotes SET rule = ?, reached = ?, flags = ? WHERE id = ?",
        [(*rule_columns(resolution), quote_id) for quote_id, resolution in rows],
    )


def versions() -> tuple[str, str]:
    """The calibration and name-normaliser versions attributions are made with now."""
    return calibration_version(), NAMES_VERSION


def current(db: sqlite3.Connection) -> bool:
    """Every article's confidences were computed with this calibration (a read: opening a store that needs
    nothing takes no write lock)."""
    return (
        db.execute("SELECT 1 FROM articles WHERE calibration IS NOT ? LIMIT 1", (calibration_version(),)).fetchone()
        is None
    )


def refresh(db: sqlite3.Connection) -> int:
    """Recompute, with this calibration, the confidences of the quotes of articles attributed with another (or
    none recorded); how many quotes changed."""
    current = calibration_version()
    rows = db.execute(
        "SELECT q.id, q.rule, q.reached, q.flags, q.kind, q.speaker, q.confidence FROM quotes q "
        "JOIN articles a ON a.id = q.article_id WHERE a.calibration IS NOT ? AND q.confidence IS NOT NULL",
        (current,),
    ).fetchall()
    changed = [
        (sure, quote_id)
        for quote_id, rule, reached, flags, kind, speaker, old in rows
        if (sure := _confidence(Rule.of(rule, reached, flags), kind, speaker)) != old
    ]
    db.executemany("UPDATE quotes SET confidence = ? WHERE id = ?", changed)
    db.execute("UPDATE articles SET calibration = ? WHERE calibration IS NOT ?", (current, current))
    return len(changed)


def stale(db: sqlite3.Connection) -> list[str]:
    """Articles whose speakers were named by another name normaliser (or before versions were recorded)."""
    return [r[0] for r in db.execute("SELECT id FROM articles WHERE names IS NOT ?", (NAMES_VERSION,))]


def _confidence(rule: Rule, kind: str, speaker: str | None) -> float:
    return confidence(rule, rule.calibrated_as(kind), speaker)
