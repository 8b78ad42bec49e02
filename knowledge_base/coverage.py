"""Coverage and sourcing figures of the knowledge base (printed by ``make kb``, charted by
``make kb-report``).

A *venue* is any entry that is not a ``topic`` or an ``event``; it has six slots that tourists act
on (:data:`VENUE_SLOTS`). A slot counts as filled with a specific source when it has a value and a
source page that :func:`knowledge_base.sourcing.refusal` accepts (an allow-listed profile page does
not count).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from knowledge_base.schema import Entry, Fact
from knowledge_base.sourcing import is_stale, refusal, site_of

VENUE_SLOTS: tuple[str, ...] = (
    "address",
    "phone",
    "opening_hours",
    "ticket",
    "reservation",
    "transport",
)
FIVE_A_REQUIRED: tuple[str, ...] = ("opening_hours", "ticket", "transport")
_NOT_VENUES = ("topic", "event")


def is_venue(entry: Entry) -> bool:
    """True for places tourists visit (not topics or events)."""
    return entry.type not in _NOT_VENUES


def specific(fact: Fact[object]) -> bool:
    """A filled fact whose source is a specific page (not refused by the sourcing rules)."""
    return fact.value is not None and fact.source is not None and refusal(str(fact.source)) is None


def filled_facts(entry: Entry) -> list[tuple[str, Fact[object]]]:
    """(name, fact) of every fact of ``entry`` with a value."""
    out = []
    for name in Entry.model_fields:
        value = getattr(entry, name)
        if isinstance(value, Fact) and value.value is not None:
            out.append((name, value))
    return out


@dataclass
class Figures:
    """The acceptance figures of issue 12 and the material of the content report."""

    entries: int = 0
    venues: int = 0
    slots: int = 0
    slots_specific: int = 0
    filled: int = 0
    filled_published: int = 0
    filled_cross_checked: int = 0
    stale: list[tuple[str, str, dt.date]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    per_entry: dict[str, tuple[int, int]] = field(default_factory=dict)
    per_slot: dict[str, tuple[int, int]] = field(default_factory=dict)
    ages: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    without_second_source: list[tuple[str, str]] = field(default_factory=list)
    five_a_missing: dict[str, list[str]] = field(default_factory=dict)
    five_a: int = 0

    @property
    def slot_fill_rate(self) -> float:
        """Share of venue slots filled with a specific source."""
        return self.slots_specific / self.slots if self.slots else 0.0

    @property
    def published_share(self) -> float:
        """Share of filled facts that carry the source's own date."""
        return self.filled_published / self.filled if self.filled else 0.0

    @property
    def cross_checked_share(self) -> float:
        """Share of filled facts with a second source."""
        return self.filled_cross_checked / self.filled if self.filled else 0.0

    def lines(self) -> list[str]:
        """The acceptance figures as printable lines."""
        missing = ", ".join(f"{k} ({'/'.join(v)})" for k, v in self.five_a_missing.items())
        return [
            f"entries: {self.entries} (venues {self.venues})",
            f"venue slots filled with a specific source: {self.slots_specific}/{self.slots}"
            f" = {self.slot_fill_rate:.2f}",
            f"filled facts with the source's own date: {self.filled_published}/{self.filled}"
            f" = {self.published_share:.2f}",
            f"filled facts with a second source: {self.filled_cross_checked}/{self.filled}"
            f" = {self.cross_checked_share:.2f}",
            f"facts older than two years: {len(self.stale)}; conflicts recorded: "
            f"{len(self.conflicts)}",
            f"5A areas missing hours/ticket/transport: {len(self.five_a_missing)} of {self.five_a}"
            + (f": {missing}" if missing else ""),
        ]


NO_SOURCE_DATE = "no source date"


def age_bucket(as_of: dt.date | None, today: dt.date) -> str:
    """'< 1 year', '1-2 years', '> 2 years' by the source's own date, or 'no source date'."""
    if as_of is None:
        return NO_SOURCE_DATE
    if is_stale(as_of, today):
        return "> 2 years"
    try:
        one_year = today.replace(year=today.year - 1)
    except ValueError:
        one_year = today.replace(year=today.year - 1, day=28)
    return "< 1 year" if as_of >= one_year else "1-2 years"


def compute(entries: dict[str, Entry], today: dt.date) -> Figures:
    """Every figure over ``entries`` on ``today``."""
    fig = Figures(entries=len(entries))
    slot_counts = {s: [0, 0] for s in VENUE_SLOTS}
    for entry in entries.values():
        if is_venue(entry):
            fig.venues += 1
            good = [s for s in VENUE_SLOTS if specific(getattr(entry, s))]
            fig.per_entry[entry.id] = (len(good), len(VENUE_SLOTS))
            fig.slots += len(VENUE_SLOTS)
            fig.slots_specific += len(good)
            for s in VENUE_SLOTS:
                slot_counts[s][1] += 1
                slot_counts[s][0] += s in good
            if entry.a_level == "5A":
                fig.five_a += 1
                missing = [s for s in FIVE_A_REQUIRED if not specific(getattr(entry, s))]
                if missing:
                    fig.five_a_missing[entry.id] = missing
        for name in Entry.model_fields:
            fact = getattr(entry, name)
            if isinstance(fact, Fact) and fact.conflict:
                fig.conflicts.append((entry.id, name))
        for name, fact in filled_facts(entry):
            fig.filled += 1
            fig.filled_published += bool(fact.published)
            fig.filled_cross_checked += fact.cross_check is not None
            if fact.cross_check is None:
                fig.without_second_source.append((entry.id, name))
            as_of = fact.as_of()
            published = as_of[0] if as_of is not None and as_of[2] else None
            fig.ages[age_bucket(published, today)] += 1
            if as_of is not None and is_stale(as_of[0], today):
                fig.stale.append((entry.id, name, as_of[0]))
            if fact.source is not None:
                fig.domains[site_of(str(fact.source))] += 1
    fig.per_slot = {s: (c[0], c[1]) for s, c in slot_counts.items()}
    return fig
