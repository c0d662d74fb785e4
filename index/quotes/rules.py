"""How an attribution was resolved, as a value: the resolver's rule ("surname-ambiguous", "pronoun-near"), the
ways it was reached ("continued" from the quote before, "relative" through a relative clause) and what around it
makes it more or less sure (flags: "beside", "others", "question", "outlet", "framed", "after"). Its text form,
"continued-surname-ambiguous+beside+others", is what is stored with a quote and what the calibration counts
are keyed by; it is read and written here only."""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = ("continued", "relative")
ORGANISATION = ("org", "org-part")
"""The resolver's rules that name an organisation, not a person (`index.quotes.speakers`)."""


@dataclass(frozen=True)
class Rule:
    base: str
    prefixes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Rule:
        head, *flags = (text or "").split("+")
        prefixes: list[str] = []
        while (word := head.split("-", 1)[0]) in PREFIXES and "-" in head:
            prefixes.append(word)
            head = head.split("-", 1)[1]
        return cls(head, tuple(prefixes), tuple(flags))

    def __str__(self) -> str:
        return self.head + "".join(f"+{flag}" for flag in self.flags)

    @property
    def head(self) -> str:
        """The rule without its flags: "continued-surname-ambiguous"."""
        return "-".join((*self.prefixes, self.base))

    def flagged(self, *flags: str) -> Rule:
        return Rule(self.base, self.prefixes, (*self.flags, *flags))

    def without(self, flag: str) -> Rule:
        return Rule(self.base, self.prefixes, tuple(f for f in self.flags if f != flag))

    def continued(self) -> Rule:
        """The rule of a quote that continues this one's (`“…,” he said. “…”`)."""
        return (
            self if self.prefixes[:1] == ("continued",) else Rule(self.base, ("continued", *self.prefixes), self.flags)
        )

    def resolved_by(self, family: str) -> bool:
        """Whether the resolver's own rule (a continuation aside) is of this family: "pronoun", "role"."""
        reached = self.prefixes[1:] if self.prefixes[:1] == ("continued",) else self.prefixes
        return not reached and self.base.startswith(family)

    @classmethod
    def of(cls, base: str | None, reached: str | None, flags: str | None) -> Rule:
        """A rule from its store columns (`columns`)."""
        return cls(base or "", tuple(reached.split("-")) if reached else (), tuple(flags.split("+")) if flags else ())

    @property
    def columns(self) -> tuple[str, str | None, str | None]:
        """How the store keeps it: the resolver's rule, the ways it was reached, its flags."""
        return self.base, "-".join(self.prefixes) or None, "+".join(self.flags) or None

    def calibrated_as(self, kind: str) -> str:
        """The kind whose counts an attribution of this rule is calibrated with: a quotation that continues the
        one before (`“…,” he said. “…”`) is a direct one, whatever the kind of the quote it continues."""
        return "direct" if self.prefixes[:1] == ("continued",) else kind

    @property
    def names_organisation(self) -> bool:
        return not self.prefixes and self.base in ORGANISATION

    @property
    def by_pronoun(self) -> bool:
        """Resolved a "he" / "she" (or continues a quote that one did)."""
        return self.resolved_by("pronoun")

    def ancestors(self) -> list[str]:
        """The rules whose counts an attribution's confidence is read from, most specific first:
        "continued-surname-ambiguous+beside+others" -> itself, without "+beside",
        "continued-surname-ambiguous+beside", "continued-surname-ambiguous", "surname-ambiguous", "surname",
        "*+beside", "*" (every rule)."""
        beside = "+beside" if "beside" in self.flags else ""
        once = "-".join((*self.prefixes[1:], self.base))  # one way of reaching it taken off
        keys = [str(self), str(self.without("beside")), self.head + beside, self.head, once, once.split("-")[0]]
        return list(dict.fromkeys([*keys, "*" + beside, "*"]))
