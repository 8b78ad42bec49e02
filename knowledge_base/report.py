"""Content report for editors: ``make kb-report`` (``python -m knowledge_base.report``).

Writes ``reports/kb-report.html`` (charts embedded as PNG): the acceptance figures, fill rate per
slot and per entry, facts by age, source domains, facts without a second source, facts over two
years old, conflicts, the temporarily allow-listed sources, and the questions tourists asked that
the knowledge base could not answer (the platform's ``unanswered_question`` table, read from
``--db`` or ``PLATFORM_DATABASE_URL``, else the default ``var/platform.db``, or from a running
platform's ``GET /api/kb/unanswered`` with ``--api URL`` and ``PLATFORM_STAFF_API_TOKEN``; skipped
when there is none). Prints the acceptance figures.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge_base.coverage import (
    NO_SOURCE_DATE,
    VENUE_SLOTS,
    Figures,
    compute,
    is_venue,
    specific,
)
from knowledge_base.schema import Entry
from knowledge_base.settings import REPO_ROOT
from knowledge_base.sourcing import AllowedSource, load_allowlist
from knowledge_base.store import DEFAULT_ENTRIES_DIR, load_entries

DEFAULT_OUT = REPO_ROOT / "reports" / "kb-report.html"
DEFAULT_DB = REPO_ROOT / "var" / "platform.db"
AGE_ORDER = ("< 1 year", "1-2 years", "> 2 years", NO_SOURCE_DATE)


@dataclass
class Unanswered:
    """What tourists asked that the knowledge base could not answer."""

    available: bool
    note: str = ""
    total: int = 0
    places: list[tuple[str, int]] = field(default_factory=list)
    recent: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(asked at, language, place, question), newest first."""


def read_unanswered(database_url: str | None, limit: int = 30) -> Unanswered:
    """The platform's unanswered questions, or ``available=False`` with the reason."""
    if not database_url:
        return Unanswered(False, "no platform database found (set PLATFORM_DATABASE_URL or --db)")
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:
        return Unanswered(False, "SQLAlchemy is not installed")
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            total = conn.execute(text("SELECT COUNT(*) FROM unanswered_question")).scalar_one()
            places = conn.execute(
                text(
                    "SELECT place, COUNT(*) AS n FROM unanswered_question WHERE place <> '' "
                    "GROUP BY place ORDER BY n DESC, place LIMIT :limit"
                ),
                {"limit": limit},
            ).all()
            recent = conn.execute(
                text(
                    "SELECT created_at, language, place, question FROM unanswered_question "
                    "ORDER BY created_at DESC, id DESC LIMIT :limit"
                ),
                {"limit": limit},
            ).all()
    except SQLAlchemyError as exc:
        return Unanswered(False, f"could not read unanswered questions: {type(exc).__name__}")
    finally:
        engine.dispose()
    return Unanswered(
        True,
        total=int(total),
        places=[(str(p), int(n)) for p, n in places],
        recent=[(str(a)[:16], str(lang), str(p), str(q)) for a, lang, p, q in recent],
    )


def fetch_unanswered(
    api_url: str, staff_token: str | None, limit: int = 30, client: Any = None
) -> Unanswered:
    """The same from a running platform's ``GET /api/kb/unanswered`` (staff token).

    ``client`` is an ``httpx.Client`` (default: a plain one).
    """
    if not staff_token:
        return Unanswered(False, "no staff token (set PLATFORM_STAFF_API_TOKEN) for --api")
    import httpx

    http = client if client is not None else httpx.Client(timeout=10.0)
    try:
        response = http.get(
            api_url.rstrip("/") + "/api/kb/unanswered",
            params={"limit": limit},
            headers={"Authorization": f"Bearer {staff_token}"},
        )
        if response.status_code != 200:
            return Unanswered(False, f"{api_url} answered HTTP {response.status_code}")
        body = response.json()
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return Unanswered(False, f"could not read {api_url}: {type(exc).__name__}")
    finally:
        if client is None:
            http.close()
    return Unanswered(
        True,
        total=int(body["count"]),
        places=[(str(p["place"]), int(p["count"])) for p in body["top_places"]][:limit],
        recent=[
            (str(r["created_at"])[:16], str(r["language"]), str(r["place"]), str(r["question"]))
            for r in body["data"]
        ],
    )


def default_database_url() -> str | None:
    """``PLATFORM_DATABASE_URL``, else the platform's default SQLite file when it exists."""
    url = os.environ.get("PLATFORM_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{DEFAULT_DB}" if DEFAULT_DB.is_file() else None


# ---------- charts ----------


def _png(fig: object) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")  # type: ignore[attr-defined]
    return base64.b64encode(buf.getvalue()).decode("ascii")


def charts(fig_data: Figures) -> list[tuple[str, str]]:
    """(title, base64 PNG) of the overview chart and the per-entry chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    slots = list(fig_data.per_slot)
    rates = [fig_data.per_slot[s][0] / max(fig_data.per_slot[s][1], 1) for s in slots]
    axes[0].bar(slots, rates, color="#3b7dd8")
    axes[0].axhline(0.8, color="#c0392b", linestyle="--", linewidth=1, label="target 0.80")
    axes[0].set_ylim(0, 1)
    axes[0].set_title("Venue slots filled with a specific source")
    axes[0].tick_params(axis="x", rotation=30)
    axes[0].legend(loc="upper right")
    ages = [fig_data.ages.get(a, 0) for a in AGE_ORDER]
    axes[1].bar(AGE_ORDER, ages, color=["#27ae60", "#f1c40f", "#c0392b", "#95a5a6"])
    axes[1].set_title("Filled facts by the age of their source's own date")
    axes[1].tick_params(axis="x", rotation=20)
    top = fig_data.domains.most_common(12)[::-1]
    axes[2].barh([d for d, _ in top], [n for _, n in top], color="#8e44ad")
    axes[2].set_title("Source domains (facts)")
    fig.tight_layout()
    out.append(("Overview", _png(fig)))
    plt.close(fig)

    ids = sorted(fig_data.per_entry, key=lambda e: (fig_data.per_entry[e][0], e))
    if ids:
        fig, ax = plt.subplots(figsize=(9, max(3.0, 0.22 * len(ids))))
        ax.barh(ids, [fig_data.per_entry[e][0] for e in ids], color="#16a085")
        ax.set_xlim(0, len(VENUE_SLOTS))
        ax.set_title("Slots filled with a specific source, per venue (of 6)")
        ax.tick_params(axis="y", labelsize=7)
        fig.tight_layout()
        out.append(("Per venue", _png(fig)))
        plt.close(fig)
    return out


# ---------- HTML ----------


def _table(headers: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(
    entries: dict[str, Entry],
    fig_data: Figures,
    allowlist: list[AllowedSource],
    unanswered: Unanswered,
    today: dt.date,
    with_charts: bool = True,
) -> str:
    """The whole report page."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Knowledge-base content report</title><style>",
        "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}",
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;",
        "padding:.2em .5em;font-size:.9em;text-align:left}th{background:#f3f3f3}",
        "img{max-width:100%}</style></head><body>",
        f"<h1>Knowledge-base content report</h1><p>{today.isoformat()}</p>",
        "<h2>Acceptance figures</h2><ul>",
        *(f"<li>{html.escape(line)}</li>" for line in fig_data.lines()),
        "</ul>",
    ]
    if with_charts:
        for title, png in charts(fig_data):
            parts.append(f"<h2>{html.escape(title)}</h2><img alt='{html.escape(title)}' ")
            parts.append(f"src='data:image/png;base64,{png}'>")
    slot_rows: list[list[object]] = [
        [s, f"{n}/{t}", f"{n / t:.2f}" if t else "-"] for s, (n, t) in fig_data.per_slot.items()
    ]
    parts += ["<h2>Fill rate per slot</h2>", _table(["slot", "filled", "rate"], slot_rows)]
    entry_rows: list[list[object]] = []
    for eid, (n, t) in sorted(fig_data.per_entry.items(), key=lambda kv: (kv[1][0], kv[0])):
        entry = entries[eid]
        missing = [s for s in VENUE_SLOTS if not specific(getattr(entry, s))]
        entry_rows.append([eid, entry.a_level or "", f"{n}/{t}", ", ".join(missing)])
    parts += [
        "<h2>Fill rate per venue</h2>",
        _table(["entry", "grade", "filled", "missing or not specifically sourced"], entry_rows),
    ]
    parts += [
        "<h2>5A areas missing hours, ticket or transport</h2>",
        _table(
            ["entry", "missing"], [[k, ", ".join(v)] for k, v in fig_data.five_a_missing.items()]
        ),
        "<h2>Facts by age</h2>",
        _table(["age", "facts"], [[a, fig_data.ages.get(a, 0)] for a in AGE_ORDER]),
        "<h2>Facts older than two years</h2>",
        _table(["entry", "fact", "as of"], [[e, f, d.isoformat()] for e, f, d in fig_data.stale]),
        "<h2>Source domains</h2>",
        _table(["domain", "facts"], [[d, n] for d, n in fig_data.domains.most_common()]),
        "<h2>Conflicting sources (value left empty)</h2>",
        _table(["entry", "fact"], [list(c) for c in fig_data.conflicts]),
        f"<h2>Facts without a second source ({len(fig_data.without_second_source)})</h2>",
        _table(["entry", "fact"], [list(x) for x in fig_data.without_second_source]),
        f"<h2>Temporarily allow-listed sources ({len(allowlist)})</h2>",
        "<p>Facts that still cite a page <code>make kb</code> refuses (a profile or front page); ",
        "re-source them and delete their line in <code>source_allowlist.yml</code>.</p>",
        _table(["entry", "field", "url"], [[a.entry, a.field, a.url] for a in allowlist]),
        "<h2>Questions the knowledge base could not answer</h2>",
    ]
    if not unanswered.available:
        parts.append(f"<p><em>{html.escape(unanswered.note)}</em></p>")
    else:
        parts += [
            f"<p>{unanswered.total} question(s) recorded. Most-asked places:</p>",
            _table(["place", "times asked"], [list(p) for p in unanswered.places]),
            "<p>Most recent:</p>",
            _table(
                ["asked (UTC)", "language", "place", "question"],
                [list(r) for r in unanswered.recent],
            ),
        ]
    types = Counter(e.type for e in entries.values())
    parts.append(
        "<p>Entries by type: "
        + html.escape(", ".join(f"{t} {n}" for t, n in sorted(types.items())))
        + f"; venues {sum(is_venue(e) for e in entries.values())}.</p></body></html>"
    )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=Path, default=DEFAULT_ENTRIES_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of the platform database")
    parser.add_argument(
        "--api", default=None, help="read them from a running platform instead (base URL)"
    )
    parser.add_argument("--no-db", action="store_true", help="skip the unanswered questions")
    args = parser.parse_args(argv)
    today = dt.date.today()
    entries = load_entries(args.entries)
    fig_data = compute(entries, today)
    same = args.entries.resolve() == DEFAULT_ENTRIES_DIR.resolve()
    allowlist = load_allowlist() if same else []
    if args.api and not args.no_db:
        unanswered = fetch_unanswered(args.api, os.environ.get("PLATFORM_STAFF_API_TOKEN"))
    else:
        unanswered = read_unanswered(None if args.no_db else (args.db or default_database_url()))
    page = render_html(entries, fig_data, allowlist, unanswered, today)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    for line in fig_data.lines():
        print(line)
    print(f"allow-listed sources still to re-source: {len(allowlist)}")
    if unanswered.available:
        top = ", ".join(f"{p} ({n})" for p, n in unanswered.places[:5])
        print(f"unanswered questions: {unanswered.total}" + (f"; most asked: {top}" if top else ""))
    else:
        print(f"unanswered questions: skipped ({unanswered.note})")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
