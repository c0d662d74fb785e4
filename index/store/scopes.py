"""A `Scope` as SQL: the WHERE conditions that keep the rows of articles, chunks or quotes inside it, in the
portable SQL both engines run (`?` marks; `COLLATE NOCASE` is case-insensitive text on either)."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.models import Scope


@dataclass
class Where:
    """Conditions joined by AND, with their parameters in order; `none` when a condition can match nothing."""

    conditions: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    none: bool = False

    def add(self, condition: str, *params: object) -> None:
        self.conditions.append(condition)
        self.params += params

    def among(self, column: str, values: tuple[str, ...] | None) -> None:
        if values is None:
            return
        if not values:
            self.none = True
        else:
            self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    @property
    def sql(self) -> str:
        """`WHERE …` (or nothing); a scope that matches nothing gives a condition that is never true."""
        if self.none:
            return "WHERE 1 = 0"
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


def article_conditions(scope: Scope, where: Where, ids: bool = True) -> None:
    """The scope's limits on the columns of `articles` (`ids`: its list of articles too)."""
    where.among("collection", scope.collections)
    if ids:
        where.among("id", scope.articles)
    if scope.source:
        where.add("source = ? COLLATE NOCASE", scope.source)
    if scope.since:
        where.add("substr(published, 1, 10) >= ?", scope.since)


def for_articles(scope: Scope) -> Where:
    where = Where()
    article_conditions(scope, where)
    return where


def for_rows(scope: Scope, speakers: bool = True) -> Where:
    """Conditions on the rows of chunks or quotes (`speakers`: of the scope's speakers too; quotes only)."""
    where = Where()
    where.among("article_id", scope.articles)
    within = Where()
    article_conditions(scope, within, ids=False)
    if within.none:
        where.none = True
    elif within.conditions:
        where.add(f"article_id IN (SELECT id FROM articles {within.sql})", *within.params)
    if speakers:
        where.among("speaker COLLATE NOCASE", scope.speakers)
    return where
