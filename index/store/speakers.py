"""The speaker lookups of the store: who the quotes name (by name words, by any word, by role), how often, how
surely, in the articles of the collections asked for. Mixed into `index.store.queries.Queries`, whose engine runs
the queries (`_query`)."""

from __future__ import annotations

from collections.abc import Sequence

from index.models import SpeakerInfo
from index.quotes.rules import ORGANISATION

_ORGANISATION = ",".join(f"'{rule}'" for rule in ORGANISATION)


class SpeakerLookups:
    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        raise NotImplementedError

    def speakers_named(
        self,
        words: Sequence[str],
        column: str = "speaker_key",
        needed: float = 0.0,
        collections: Sequence[str] | None = None,
    ) -> list[SpeakerInfo]:
        """Speakers whose name key (or, `column="role_key"`, the role the articles gave them) holds every one of
        these words as a whole word ("putin" -> "Vladimir Putin", "union" -> the union's general secretary), most
        quoted first, each with how many of their quotes have a confidence of at least `needed`
        (`SpeakerInfo.sure`); a name stored in several spellings of case is given once. `collections`: quoted in
        the articles of these only."""
        if not words or column not in ("speaker_key", "role_key"):
            return []
        where = " AND ".join(f"instr(' ' || {column} || ' ', ?) > 0" for _ in words)
        where = f"speaker IS NOT NULL AND {column} IS NOT NULL AND {where}"
        return self._speakers(where, [f" {w} " for w in words], needed, collections)

    def speakers_with_any(
        self, words: Sequence[str], needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[str]:
        """The names of the speakers quoted at least once with a confidence of `needed` (in these collections)
        whose name key holds any of these words as a whole word."""
        if not words:
            return []
        where = " OR ".join("instr(' ' || speaker_key || ' ', ?) > 0" for _ in words)
        within, kept = _quoted_in(collections)
        rows = self._query(
            f"SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL AND speaker_key IS NOT NULL AND ({where})"
            f" AND coalesce(confidence, -1) >= ?{within}",
            [*(f" {w} " for w in words), needed, *kept],
        )
        return [r[0] for r in rows]

    def speakers_with_role(
        self, role_key: str, needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[SpeakerInfo]:
        """Speakers the articles gave this role (its key: "russian president"), most quoted first."""
        return self._speakers("role_key = ? AND speaker IS NOT NULL", [role_key], needed, collections)

    def _speakers(
        self, where: str, params: Sequence[object], needed: float, collections: Sequence[str] | None
    ) -> list[SpeakerInfo]:
        within, kept = _quoted_in(collections)
        rows = self._query(
            "SELECT speaker, count(*), "
            f"max(CASE WHEN reached IS NULL AND rule IN ({_ORGANISATION}) THEN 1 ELSE 0 END), "
            "sum(CASE WHEN coalesce(confidence, -1) >= ? THEN 1 ELSE 0 END) AS sure "
            f"FROM quotes WHERE {where}{within} GROUP BY speaker COLLATE NOCASE ORDER BY count(*) DESC, speaker",
            [needed, *params, *kept],
        )
        kinds = ("person", "organisation")
        return [SpeakerInfo(name=r[0], quotes=r[1], kind=kinds[bool(r[2])], sure=r[3]) for r in rows]


def _quoted_in(collections: Sequence[str] | None) -> tuple[str, list[object]]:
    """A condition keeping the quotes of these collections' articles (all when None)."""
    if collections is None:
        return "", []
    marks = ",".join("?" * len(collections)) or "NULL"
    return f" AND article_id IN (SELECT id FROM articles WHERE collection IN ({marks}))", list(collections)
