"""Sourcing rules: refused source pages, conflicts, cross-checks, seasonal dates, the allow-list,
and the coverage figures ``make kb`` prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge_base.coverage import age_bucket, compute
from knowledge_base.schema import Entry, Fact
from knowledge_base.sourcing import AllowedSource, is_stale, load_allowlist, refusal
from knowledge_base.store import load_entries
from knowledge_base.validate import Report, validate

TODAY = dt.date(2026, 12, 1)
BASE = """\
id: a
type: scenic_area
names: {zh: 测试, en: Test}
description: {zh: 测试。, en: Test., ja: テスト。, ko: 테스트., fr: Essai., de: Test., es: Prueba., ru: Тест.}
sources: [https://example.org/a.html]
"""


def _report(tmp_path: Path, extra: str, allow: list[AllowedSource] | None = None) -> Report:
    (tmp_path / "a.yml").write_text(BASE + extra, encoding="utf-8")
    return validate(tmp_path, today=TODAY, allowlist=allow)


def _problems(tmp_path: Path, extra: str, allow: list[AllowedSource] | None = None) -> list[str]:
    return _report(tmp_path, extra, allow).problems


@pytest.mark.parametrize(
    "url",
    [
        "https://www.sc.gov.cn",
        "https://www.sc.gov.cn/",
        "http://example.com/index.html",
        "https://example.com/default.aspx",
        "https://github.com/HelloWorldFFC",
        "https://github.com/HelloWorldFFC/",
        "https://gitee.com/someone",
        "https://weibo.com/leshandafo",
        "https://weibo.com/u/123456",
        "https://m.weibo.cn/profile/123456",
        "https://baike.baidu.com/item/%E4%B9%90%E5%B1%B1%E5%A4%A7%E4%BD%9B",
        "https://en.wikipedia.org/wiki/Leshan_Giant_Buddha",
        "https://www.zhihu.com/people/someone",
        "https://space.bilibili.com/12345",
        "https://www.youtube.com/@someone",
        "https://twitter.com/someone",
        "https://mp.weixin.qq.com/",
        "https://www.douyin.com/user/abc",
    ],
)
def test_front_pages_profiles_and_encyclopedias_are_refused(url: str) -> None:
    assert refusal(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.sc.gov.cn/10462/c1/2025/7/1/abc.shtml",
        "https://github.com/owner/repo/blob/main/data.json",
        "https://weibo.com/1234567/NxYzAbCd",
        "https://mp.weixin.qq.com/s/AbCdEf",
        "https://example.org/?p=123",
        "https://www.scmuseum.cn/news/notice.html",
    ],
)
def test_pages_that_state_something_are_accepted(url: str) -> None:
    assert refusal(url) is None


def test_validate_refuses_a_profile_source(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "phone: {value: '028-1', source: 'https://github.com/someone', checked: 2026-11-01}\n",
    )
    assert problems == ["a.yml: phone source https://github.com/someone is refused: a profile page"]


def test_allow_list_lets_exactly_its_line_through_and_reports_unused_lines(
    tmp_path: Path,
) -> None:
    fact = "phone: {value: '028-1', source: 'https://github.com/someone', checked: 2026-11-01}\n"
    allowed = [AllowedSource("a", "phone", "https://github.com/someone")]
    assert _problems(tmp_path, fact, allowed) == []
    other_field = [AllowedSource("a", "address", "https://github.com/someone")]
    report = _report(tmp_path, fact, other_field)
    assert any("phone source https://github.com/someone is refused" in p for p in report.problems)
    assert any("(a, address, https://github.com/someone) matches no" in w for w in report.warnings)


def test_real_allow_list_loads() -> None:
    for item in load_allowlist():
        assert refusal(item.url) is not None, item


def test_full_fact_shape_is_accepted(tmp_path: Path) -> None:
    extra = """\
opening_hours:
  value:
  - {season: peak, from_date: "04-01", to_date: "10-07", opens: "07:30", closes: "18:30"}
  - {season: off_peak, from_date: "10-08", to_date: "03-31", opens: "08:00", closes: "17:30"}
  source: https://venue.example.cn/news/2025/notice.html
  source_kind: official
  published: 2025-07
  checked: 2026-11-20
  cross_check:
    url: https://bureau.example.gov.cn/notice/2025.html
    published: 2025-06-20
    checked: 2026-11-20
    agrees: true
"""
    assert _problems(tmp_path, extra) == []
    entry = load_entries(tmp_path)["a"]
    assert entry.opening_hours.as_of() == (dt.date(2025, 7, 1), "month", True)
    assert entry.opening_hours.checked == dt.date(2026, 11, 20)


def test_conflict_must_leave_the_value_empty_and_explain(tmp_path: Path) -> None:
    filled = (
        "phone: {value: '028-1', conflict: true, source: 'https://x.example.cn/c.html', "
        "checked: 2026-11-01}\n"
    )
    problems = _problems(tmp_path, filled)
    assert any("conflict: true but a value is filled" in p for p in problems)
    assert any("conflict: true needs a note" in p for p in problems)
    empty = "phone: {value: null, conflict: true, note: 'site says 028-1, bureau says 028-2'}\n"
    assert _problems(tmp_path, empty) == []


def test_cross_check_must_be_independent_dated_and_agree(tmp_path: Path) -> None:
    extra = """\
phone:
  value: '028-1'
  source: https://www.venue.example.cn/contact.html
  checked: 2026-11-01
  cross_check: {url: 'https://venue.example.cn/about.html', agrees: false}
"""
    problems = _problems(tmp_path, extra)
    assert any("cross_check is on the same site as the source" in p for p in problems)
    assert any("cross_check needs 'checked'" in p for p in problems)
    assert any("cross_check disagrees but the value is filled" in p for p in problems)


def test_published_in_future_or_after_checked_is_refused(tmp_path: Path) -> None:
    base = "phone: {value: '028-1', source: 'https://v.example.cn/c.html', checked: 2026-11-01, "
    assert any(
        "published 2027-01 is in the future" in p
        for p in _problems(tmp_path, base + "published: 2027-01}\n")
    )
    assert any(
        "is later than checked" in p for p in _problems(tmp_path, base + "published: 2026-11-15}\n")
    )


def test_seasonal_values_need_their_dates(tmp_path: Path) -> None:
    extra = """\
opening_hours:
  value: [{season: summer, opens: "08:00", closes: "20:00"}]
  source: https://v.example.cn/h.html
  checked: 2026-11-01
ticket:
  value: {prices: [{season: peak, amount: 10}]}
  source: https://v.example.cn/t.html
  checked: 2026-11-01
"""
    problems = _problems(tmp_path, extra)
    assert any(
        "opening_hours[0] season 'summer' needs from_date and to_date" in p for p in problems
    )
    assert any("ticket price[0] season 'peak' needs from_date and to_date" in p for p in problems)


def test_stale_means_more_than_two_years() -> None:
    assert is_stale(dt.date(2024, 11, 30), TODAY)
    assert not is_stale(dt.date(2024, 12, 1), TODAY)
    assert age_bucket(None, TODAY) == "no source date"
    assert age_bucket(dt.date(2026, 1, 1), TODAY) == "< 1 year"
    assert age_bucket(dt.date(2025, 6, 1), TODAY) == "1-2 years"


def test_coverage_figures_count_only_specific_sources() -> None:
    good = {"source": "https://v.example.cn/p.html", "checked": "2026-11-01"}
    entry = Entry.model_validate(
        {
            "id": "v",
            "type": "scenic_area",
            "a_level": "5A",
            "names": {"zh": "测", "en": "V"},
            "description": {"en": "x"},
            "phone": {"value": "028-1", **good, "published": "2025"},
            "address": {
                "value": {"en": "x"},
                "source": "https://github.com/u",
                "checked": "2026-11-01",
            },
            "opening_hours": {
                "value": [{"opens": "08:00", "closes": "17:00"}],
                **good,
                "published": "2020-01-01",
                "cross_check": {"url": "https://w.example.cn/q", "checked": "2026-11-01"},
            },
        }
    )
    topic = Entry.model_validate(
        {"id": "t", "type": "topic", "names": {"zh": "题", "en": "T"}, "description": {"en": "y"}}
    )
    fig = compute({"v": entry, "t": topic}, TODAY)
    assert (fig.entries, fig.venues, fig.slots, fig.slots_specific) == (2, 1, 6, 2)
    assert (fig.filled, fig.filled_published, fig.filled_cross_checked) == (3, 2, 1)
    assert fig.five_a_missing == {"v": ["ticket", "transport"]}
    assert fig.stale == [("v", "opening_hours", dt.date(2020, 1, 1))]
    assert fig.domains["v.example.cn"] == 2 and fig.domains["github.com"] == 1
    assert ("v", "phone") in fig.without_second_source
    assert isinstance(entry.phone, Fact)
