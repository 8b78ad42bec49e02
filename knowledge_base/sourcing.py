"""Sourcing rules of the knowledge base: which source pages are refused, how old a fact is.

A fact must cite the page that states it. :func:`refusal` says why a URL is not such a page (a bare
domain or front page, a profile page, an encyclopedia page) or returns None. The rule list is
documented for editors in ``knowledge_base/data/README.md``. :func:`is_stale` decides whether a
fact is older than two years (by the source's own date, else the day it was checked).

``source_allowlist.yml`` lists, per (entry, field, URL), the old facts that may still cite a
refused page until they are re-sourced; :func:`load_allowlist` reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

STALE_AFTER_YEARS = 2
ALLOWLIST_FILE: Path = Path(__file__).resolve().parent / "data" / "source_allowlist.yml"

_FRONT_PAGE = re.compile(r"^/(?:(?:index|default|home|main)\.[a-z]{2,6})?$", re.IGNORECASE)
_ENCYCLOPEDIAS = (
    "baike.baidu.com",
    "baike.sogou.com",
    "baike.so.com",
    "baike.com",
    "wikipedia.org",
)
_CODE_HOSTS = ("github.com", "gitee.com", "gitlab.com")
_ONE_SEGMENT_PROFILES = ("twitter.com", "x.com", "facebook.com", "instagram.com", "weibo.com")
_PROFILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "weibo.com": ("/u/", "/n/"),
    "m.weibo.cn": ("/u/", "/profile/"),
    "linkedin.com": ("/in/", "/company/"),
    "youtube.com": ("/@", "/channel/", "/user/", "/c/"),
    "zhihu.com": ("/people/", "/org/"),
    "douyin.com": ("/user/",),
    "xiaohongshu.com": ("/user/profile/",),
}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def site_of(url: str) -> str:
    """The host of ``url`` without ``www.`` (used to group source domains and test independence)."""
    return _host(url)


def refusal(url: str) -> str | None:
    """Why ``url`` cannot be a fact's source (a short English reason), or None when it can."""
    parts = urlsplit(str(url))
    host = _host(str(url))
    path = parts.path or "/"
    segments = [s for s in path.split("/") if s]
    if _FRONT_PAGE.match(path) and not parts.query:
        return "a bare domain or front page; cite the page that states the value"
    if any(_on(host, d) for d in _ENCYCLOPEDIAS):
        return "an encyclopedia page (user-edited, often a person page, undated); cite the page it relies on"
    if host == "space.bilibili.com":
        return "a profile page"
    if host == "mp.weixin.qq.com" and not path.startswith("/s"):
        return "a WeChat account page, not an article"
    if host in _CODE_HOSTS and len(segments) == 1:
        return "a profile page"
    if host in _ONE_SEGMENT_PROFILES and len(segments) == 1:
        return "a profile page"
    for domain, prefixes in _PROFILE_PREFIXES.items():
        if _on(host, domain) and any(path.startswith(p) for p in prefixes):
            return "a profile page"
    return None


def two_years_before(today: dt.date) -> dt.date:
    """The same day :data:`STALE_AFTER_YEARS` years earlier (29 Feb -> 28 Feb)."""
    try:
        return today.replace(year=today.year - STALE_AFTER_YEARS)
    except ValueError:
        return today.replace(year=today.year - STALE_AFTER_YEARS, day=28)


def is_stale(as_of: dt.date, today: dt.date) -> bool:
    """True when a fact dated ``as_of`` is more than two years old on ``today``."""
    return as_of < two_years_before(today)


@dataclass(frozen=True)
class AllowedSource:
    """One allow-listed (entry, field, URL): an old fact that still cites a refused page."""

    entry: str
    field: str
    url: str


def load_allowlist(path: Path = ALLOWLIST_FILE) -> list[AllowedSource]:
    """The allow-list (empty when the file is missing). ``field`` is a fact name, ``<fact>.cross_check``
    or ``sources``."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a list of {{entry, field, url}}")
    out = []
    for item in data:
        if not isinstance(item, dict) or not {"entry", "field", "url"} <= set(item):
            raise ValueError(f"{path.name}: every item needs entry, field and url: {item!r}")
        out.append(AllowedSource(str(item["entry"]), str(item["field"]), str(item["url"])))
    return out
