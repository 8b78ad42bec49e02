"""Validate the knowledge base: ``python -m knowledge_base.validate [directory]``.

Prints every problem found (schema errors, duplicate ids, id/file-name mismatches, names or aliases
shared by different entries, unsourced facts, entries without any source, verification dates in
the future, free-text fields or caveats missing one of the eight languages, and the sourcing rules of
``knowledge_base/data/README.md``: refused source pages, conflicts with a value, cross-checks on the
same site, seasonal values without dates) and exits 1; on success prints a one-line summary plus the
sourcing figures and exits 0.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from knowledge_base.coverage import compute
from knowledge_base.schema import Entry, Fact, LocalizedText, source_date_start
from knowledge_base.seasonal import price_range, season_ranges
from knowledge_base.sourcing import AllowedSource, load_allowlist, refusal, site_of
from knowledge_base.store import DEFAULT_ENTRIES_DIR, KnowledgeBaseError, entry_files, read_raw

FACT_FIELDS: tuple[str, ...] = tuple(
    name
    for name, info in Entry.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, Fact)
)


@dataclass
class Report:
    """Outcome of a validation run."""

    problems: list[str] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """Printed but not failing: allow-list lines that match no fact any more."""

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def name_key(name: str) -> str:
    """Normalised form used to compare names: case-folded, all whitespace removed."""
    return "".join(name.split()).casefold()


VENUE_FACTS: tuple[str, ...] = (
    "address",
    "coordinates",
    "phone",
    "opening_hours",
    "ticket",
    "reservation",
    "transport",
)
APPLICABLE_FACTS: dict[str, tuple[str, ...]] = {
    "topic": ("details", "phone"),
    "event": ("event_dates", "details", "address"),
}


def counted_facts(entry: Entry) -> list[str]:
    """Fact fields that count for ``entry``: those applicable to its type, plus any filled one."""
    applicable = APPLICABLE_FACTS.get(entry.type, VENUE_FACTS)
    return [f for f in FACT_FIELDS if f in applicable or getattr(entry, f).value is not None]


def _raw_fact_problems(file: str, data: dict) -> list[str]:
    problems = []
    for name in FACT_FIELDS:
        fact = data.get(name)
        if isinstance(fact, dict) and fact.get("value") is not None:
            missing = [k for k in ("source", "last_verified") if not fact.get(k)]
            if "last_verified" in missing and fact.get("checked"):
                missing.remove("last_verified")
            if missing:
                problems.append(f"{file}: fact '{name}' has a value but no {'/'.join(missing)}")
    return problems


def _key(url: object) -> str:
    return str(url).rstrip("/")


class _Allow:
    """The allow-list, and which of its lines were used."""

    def __init__(self, items: list[AllowedSource]) -> None:
        self.items = {(a.entry, a.field, _key(a.url)): a for a in items}
        self.used: set[tuple[str, str, str]] = set()

    def permits(self, entry: str, field: str, url: object) -> bool:
        key = (entry, field, _key(url))
        if key in self.items:
            self.used.add(key)
            return True
        return False

    def unused(self) -> list[AllowedSource]:
        return [a for k, a in self.items.items() if k not in self.used]


def _url_problem(file: str, entry: Entry, field: str, url: object, allow: _Allow) -> list[str]:
    reason = refusal(str(url))
    if reason is None or allow.permits(entry.id, field, url):
        return []
    return [f"{file}: {field} source {url} is refused: {reason}"]


def _fact_rule_problems(file: str, entry: Entry, today: dt.date, allow: _Allow) -> list[str]:
    """The sourcing rules of the editors' guide, for every fact of ``entry``."""
    problems = []
    for url in entry.sources:
        problems += _url_problem(file, entry, "sources", url, allow)
    for name in FACT_FIELDS:
        fact: Fact[object] = getattr(entry, name)
        where = f"{file}: fact '{name}'"
        if fact.live is not None:
            problems.append(f"{where}: 'live' is set by the platform, never in an entry file")
        if fact.source is not None:
            problems += _url_problem(file, entry, name, fact.source, allow)
        if fact.published:
            published = source_date_start(fact.published)
            if published > today:
                problems.append(f"{where}: published {fact.published} is in the future")
            elif fact.last_verified and published > fact.last_verified:
                problems.append(f"{where}: published {fact.published} is later than checked")
        if fact.conflict and fact.value is not None:
            problems.append(f"{where}: conflict: true but a value is filled (leave it empty)")
        if fact.conflict and not (fact.note or "").strip():
            problems.append(f"{where}: conflict: true needs a note giving both values")
        check = fact.cross_check
        if check is None:
            continue
        problems += _url_problem(file, entry, f"{name}.cross_check", check.url, allow)
        if fact.source is not None and site_of(str(check.url)) == site_of(str(fact.source)):
            problems.append(f"{where}: cross_check is on the same site as the source")
        if check.checked is None:
            problems.append(f"{where}: cross_check needs 'checked'")
        elif check.checked > today:
            problems.append(f"{where}: cross_check.checked {check.checked} is in the future")
        if not check.agrees and fact.value is not None:
            problems.append(
                f"{where}: cross_check disagrees but the value is filled "
                "(model the difference or set conflict: true and empty the value)"
            )
    return problems + _seasonal_problems(file, entry)


def _seasonal_problems(file: str, entry: Entry) -> list[str]:
    """A seasonal value must carry the dates of its season."""
    problems = []
    for i, period in enumerate(entry.opening_hours.value or []):
        if period.season != "all_year" and not (period.from_date and period.to_date):
            problems.append(
                f"{file}: opening_hours[{i}] season '{period.season}' needs from_date and to_date"
            )
    ticket = entry.ticket.value
    if ticket is not None:
        ranges = season_ranges(entry)
        for i, price in enumerate(ticket.prices):
            if price.season != "all_year" and price_range(price, ranges) is None:
                problems.append(
                    f"{file}: ticket price[{i}] season '{price.season}' needs from_date and to_date"
                )
    return problems


def _entry_problems(file: str, entry: Entry, today: dt.date) -> list[str]:
    problems = []
    facts = {name: getattr(entry, name) for name in FACT_FIELDS}
    if not entry.sources and not any(f.source for f in facts.values()):
        problems.append(f"{file}: entry '{entry.id}' has no sources at all")
    dates = {"last_verified": entry.last_verified}
    dates |= {f"{name}.last_verified": fact.last_verified for name, fact in facts.items()}
    for where, date in dates.items():
        if date is not None and date > today:
            problems.append(f"{file}: {where} {date.isoformat()} is in the future")
    return problems


def localized_texts(node: object, path: str = "") -> list[tuple[str, LocalizedText]]:
    """Every :class:`LocalizedText` inside ``node`` with its dotted path (``ticket.value.prices[0].label``)."""
    if isinstance(node, LocalizedText):
        return [(path, node)]
    found: list[tuple[str, LocalizedText]] = []
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += localized_texts(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            found += localized_texts(item, f"{path}[{i}]")
    return found


def language_problems(file: str, entry: Entry) -> list[str]:
    """One problem per free-text field (or caveat) of ``entry`` that misses a supported language."""
    return [
        f"{file}: entry '{entry.id}' field '{path}' misses language '{lang}'"
        for path, text in localized_texts(entry)
        for lang in text.missing()
    ]


def _name_problems(entries: dict[str, tuple[str, Entry]]) -> list[str]:
    owners: dict[str, tuple[str, str]] = {}
    problems = []
    for file, entry in entries.values():
        for name in entry.all_names():
            key = name_key(name)
            owner = owners.setdefault(key, (entry.id, name))
            if owner[0] != entry.id:
                problems.append(
                    f"{file}: name/alias '{name}' of '{entry.id}' duplicates "
                    f"'{owner[1]}' of '{owner[0]}'"
                )
    return problems


def validate(
    directory: Path = DEFAULT_ENTRIES_DIR,
    today: dt.date | None = None,
    allowlist: list[AllowedSource] | None = None,
) -> Report:
    """Check every entry file in ``directory`` and the entries against each other.

    ``allowlist`` defaults to ``source_allowlist.yml`` for the real entries and to none for any
    other directory; an allow-list line that matches no fact is a problem.
    """
    today = today or dt.date.today()
    if allowlist is None:
        same = Path(directory).resolve() == DEFAULT_ENTRIES_DIR.resolve()
        allowlist = load_allowlist() if same else []
    allow = _Allow(allowlist)
    report = Report()
    seen: dict[str, tuple[str, Entry]] = {}
    files = entry_files(directory)
    if not files:
        report.problems.append(f"{directory}: no entry files (*.yml)")
    for path in files:
        file = path.name
        try:
            data = read_raw(path)
        except KnowledgeBaseError as exc:
            report.problems.append(str(exc))
            continue
        report.problems += _raw_fact_problems(file, data)
        try:
            entry = Entry.model_validate(data)
        except ValidationError as exc:
            errors = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '<entry>'}: {e['msg']}"
                for e in exc.errors()
            )
            report.problems.append(f"{file}: schema error: {errors}")
            continue
        if entry.id != path.stem:
            report.problems.append(f"{file}: id '{entry.id}' differs from the file name")
        if entry.id in seen:
            report.problems.append(
                f"{file}: duplicate id '{entry.id}' (also in {seen[entry.id][0]})"
            )
            continue
        seen[entry.id] = (file, entry)
        report.problems += _entry_problems(file, entry, today)
        report.problems += _fact_rule_problems(file, entry, today, allow)
        report.problems += language_problems(file, entry)
    report.problems += _name_problems(seen)
    report.warnings += [
        f"source_allowlist.yml: line ({a.entry}, {a.field}, {a.url}) matches no fact any more; "
        "delete it"
        for a in allow.unused()
        if a.entry in seen
    ]
    report.entries = {k: v[1] for k, v in sorted(seen.items())}
    return report


def summary(entries: dict[str, Entry]) -> str:
    """One line: entries per type and facts filled vs empty."""
    types = Counter(e.type for e in entries.values())
    filled = sum(
        getattr(e, f).value is not None for e in entries.values() for f in counted_facts(e)
    )
    total = sum(len(counted_facts(e)) for e in entries.values())
    per_type = ", ".join(f"{t} {n}" for t, n in sorted(types.items()))
    return f"OK: {len(entries)} entries ({per_type}); facts {filled} filled, {total - filled} empty"


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_ENTRIES_DIR
    report = validate(directory)
    for warning in report.warnings:
        print(f"warning: {warning}")
    if not report.ok:
        for problem in report.problems:
            print(problem)
        print(f"FAILED: {len(report.problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(summary(report.entries))
    for line in compute(report.entries, dt.date.today()).lines():
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
