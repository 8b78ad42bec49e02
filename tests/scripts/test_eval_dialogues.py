"""The dialogue-evaluation checks on hand-made replies, and the dialogue files themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.components.langid import LanguageGuesser
from knowledge_base.store import load_entries
from scripts import dialogue_checks as checks
from scripts import eval_dialogues as ev

NAMES = {
    "jiuzhaigou": {"zh": "九寨沟风景名胜区", "en": "Jiuzhaigou Valley", "de": "Jiuzhaigou-Tal"},
    "leshan": {"zh": "乐山大佛", "en": "Leshan Giant Buddha", "de": "Großer Buddha von Leshan"},
    "wuhou": {"zh": "成都武侯祠", "en": "Wuhou Shrine", "de": "Wuhou-Tempel"},
    "fair": {"zh": "武侯祠成都大庙会", "en": "Chengdu Temple Fair", "de": "Tempelfest von Chengdu"},
    "altitude": {"zh": "高原反应", "en": "Altitude sickness", "de": "Höhenkrankheit"},
}
ALIASES = {"jiuzhaigou": ["九寨沟", "Jiuzhaigou"], "wuhou": ["武侯祠"], "altitude": ["高反"]}


@pytest.fixture(scope="module")
def index() -> checks.NameIndex:
    surfaces = [
        checks.Surface(entry, text, lang)
        for entry, names in NAMES.items()
        for lang, text in names.items()
    ]
    surfaces += [checks.Surface(e, a, None) for e, aliases in ALIASES.items() for a in aliases]
    return checks.NameIndex(surfaces, ["jiuzhaigou", "leshan", "wuhou", "fair"], NAMES)


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    return LanguageGuesser()


CANNED = [
    "Sorry, I can only help with travel in Sichuan: attractions, tickets, opening hours.",
    "抱歉，我只能回答四川旅游相关的问题。",
]


# ---------------------------------------------------------------- places


def test_right_place_needs_the_expected_entry(index: checks.NameIndex) -> None:
    reply = "Tickets for Jiuzhaigou Valley:\n- Adult, peak season: 169 yuan"
    assert checks.right_place(reply, "jiuzhaigou", "en", index)
    assert not checks.wrong_place(reply, "jiuzhaigou", index)
    assert not checks.right_place(reply, "leshan", "en", index)
    assert checks.wrong_place(reply, "leshan", index)


def test_a_name_in_another_language_is_not_the_local_name(index: checks.NameIndex) -> None:
    reply = "Eintrittspreise für Jiuzhaigou Valley: 169 Yuan."
    assert not checks.right_place(reply, "jiuzhaigou", "de", index)
    assert checks.right_place(
        "Eintrittspreise für Jiuzhaigou-Tal: 169 Yuan.", "jiuzhaigou", "de", index
    )
    assert checks.right_place("九寨沟门票169元。", "jiuzhaigou", "zh", index)  # alias


def test_longest_name_wins(index: checks.NameIndex) -> None:
    reply = "武侯祠成都大庙会通常在春节期间举办。"
    assert checks.right_place(reply, "fair", "zh", index)
    assert not checks.right_place(reply, "wuhou", "zh", index)
    assert checks.wrong_place(reply, "wuhou", index)


def test_mentioning_another_place_beside_the_expected_one_is_not_wrong(
    index: checks.NameIndex,
) -> None:
    reply = (
        "Wuhou Shrine is next to Jinli; the Chengdu Temple Fair is held there at Spring Festival."
    )
    assert checks.right_place(reply, "wuhou", "en", index)
    assert not checks.wrong_place(reply, "wuhou", index)


def test_unknown_place(index: checks.NameIndex) -> None:
    good = "I don't have information about the Great Wall yet."
    assert checks.right_place(good, "unknown", "en", index)
    assert not checks.wrong_place(good, "unknown", index)
    bad = "Opening hours of Jiuzhaigou Valley: 08:00–17:00"
    assert not checks.right_place(bad, "unknown", "en", index)
    assert checks.wrong_place(bad, "unknown", index)
    assert checks.right_place("抱歉，我暂时还没有春熙路的信息。", "unknown", "zh", index)


def test_a_topic_named_in_a_place_answer_is_not_a_wrong_place(index: checks.NameIndex) -> None:
    reply = "Jiuzhaigou Valley is high up: watch for altitude sickness."
    assert not checks.wrong_place(reply, "jiuzhaigou", index)
    assert not checks.wrong_place(reply, "altitude", index)
    assert checks.wrong_place("Tickets for Jiuzhaigou Valley: 169 yuan.", "altitude", index)


def test_latin_names_match_whole_words_only(index: checks.NameIndex) -> None:
    assert "jiuzhaigou" not in checks.named_entries("see Jiuzhaigouxyz", index)
    assert "jiuzhaigou" in checks.named_entries("see jiuzhaigou!", index)


# ---------------------------------------------------------------- languages


def test_reply_language_ignores_names_and_the_chinese_address(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    reply = "Die Adresse von Jiuzhaigou-Tal: 阿坝藏族羌族自治州九寨沟县漳扎镇301省道. Bitte prüfen Sie vor Ort."
    assert checks.reply_language(reply, index, guesser, "de") == "de"
    assert checks.fully_in_language(reply, "de", index, guesser)
    assert checks.reply_language("九寨沟门票169元。", index, guesser, "zh") == "zh"
    assert checks.reply_language("Jiuzhaigou Valley", index, guesser, "en") is None


def test_english_description_inside_a_german_reply_is_flagged(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    reply = (
        "Jiuzhaigou-Tal: Das Tal ist für seine Seen bekannt.\n"
        "The valley is at altitude: take it slowly and watch for altitude sickness."
    )
    assert not checks.fully_in_language(reply, "de", index, guesser)
    assert any("take it slowly" in s for s in checks.foreign_segments(reply, "de", index, guesser))


def test_english_label_inside_a_german_reply_is_flagged(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    reply = "Eintrittspreise für Jiuzhaigou-Tal:\n- Erwachsene, Hochsaison: 169 Yuan\nOpening hours: 08:00–17:00"
    assert not checks.fully_in_language(reply, "de", index, guesser)
    german = "Eintrittspreise für Jiuzhaigou-Tal:\n- Erwachsene, Hochsaison: 169 Yuan\nQuelle: https://example.org (zuletzt geprüft am 2026-11-29)."
    assert checks.fully_in_language(german, "de", index, guesser)


def test_chinese_sentence_inside_other_languages_is_flagged(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    assert not checks.fully_in_language(
        "Wuhou Shrine: 成都武侯祠是纪念诸葛亮的祠堂，位于成都市武侯区。", "en", index, guesser
    )
    assert not checks.fully_in_language(
        "九寨溝の情報です。\n景区海拔较高，请放慢节奏并注意高原反应。", "ja", index, guesser
    )
    assert not checks.fully_in_language(
        "무후사: The shrine honours Zhuge Liang and his lord.", "ko", index, guesser
    )


def test_english_sentence_inside_a_chinese_reply_is_flagged(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    assert not checks.fully_in_language(
        "九寨沟门票169元。\nPrices as reported in September 2021.", "zh", index, guesser
    )
    assert checks.fully_in_language(
        "九寨沟门票169元（旺季），可用 Alipay 支付。", "zh", index, guesser
    )


def test_wrong_reply_language(index: checks.NameIndex, guesser: LanguageGuesser) -> None:
    reply = "Telefon für Großer Buddha von Leshan: 0833-2302296"
    assert checks.reply_language(reply, index, guesser, "en") == "de"


# ---------------------------------------------------------------- answers


def test_fallback_and_refusal_are_not_answers() -> None:
    assert checks.is_refusal([CANNED[0]], CANNED)
    older = (
        "Sorry, I can only help with travel in Sichuan (hotline 12301)."  # an older model's text
    )
    assert checks.is_refusal([older], CANNED)
    assert checks.is_refusal([], CANNED)
    assert not checks.answered([CANNED[1]], "topic", None, CANNED)
    assert checks.answered(
        ["Foreign cards work with Alipay and WeChat Pay."], "topic", None, CANNED
    )


def test_fact_question_needs_the_fact_or_a_verify_about_it() -> None:
    verify = "Ticket prices for Wuhou Shrine are not confirmed. Please verify with the venue."
    assert checks.answered([verify], "ticket", "wuhou", CANNED)
    assert not checks.usable_fact(verify, "ticket")
    assert not checks.answered(["Wuhou Shrine is a temple in Chengdu."], "ticket", "wuhou", CANNED)
    assert checks.usable_fact("Tickets: adult 50 yuan", "ticket")
    assert checks.usable_fact("门票：成人 50元", "ticket")


def test_a_festivals_date_answers_when_it_takes_place() -> None:
    festival = "event-zigong-lantern-festival"
    dates = "Dates given by the source: 2026-01-23. Please verify this year's dates."
    assert checks.answered([dates], "hours", festival, CANNED)
    assert checks.answered(
        ["黄龙庙会每年农历六月十五举行。请核实今年的具体日期。"], "hours", festival, CANNED
    )
    story = "Famous for giant lanterns.\nPer hkcd.com (the page gives no date; checked on 29 November 2026)"
    assert not checks.answered([story], "hours", festival, CANNED)
    assert not checks.answered([dates], "hours", "wenshu-monastery", CANNED)


def test_unknown_place_is_answered_by_saying_so() -> None:
    assert checks.answered(
        ["Je n'ai pas encore d'informations sur ce lieu."], "ticket", "unknown", CANNED
    )
    assert not checks.answered(
        ["Tickets for Jiuzhaigou Valley: 169 yuan"], "ticket", "unknown", CANNED
    )


@pytest.mark.parametrize(
    "reply",
    [
        "죄송합니다. '만리장성'에 대한 정보는 아직 없습니다.",
        "죄송합니다. '포탈라궁'에 대한 정보가 없습니다.",
        "抱歉，我这里还没有关于「长城」的信息。",
    ],
)
def test_saying_no_information_is_recognised_in_every_phrasing(reply: str) -> None:
    """The bot's own unknown-place texts (topic particle 는 as well as 가 in Korean)."""
    assert checks.says_no_information(reply)
    assert not checks.says_no_information("만리장성 입장료는 40위안입니다.")


@pytest.mark.parametrize(
    ("asks", "good", "bad"),
    [
        ("hours", "Opening hours: 08:30–17:00", "Opening hours are not confirmed. Please verify."),
        ("contact", "Phone: 0837-7739753", "Please call the venue."),
        ("directions", "Take the high-speed train to Leshan, then bus 3.", "Address: 乐山市市中区"),
        ("location", "Address: 阿坝藏族羌族自治州九寨沟县漳扎镇301省道", "It is in Sichuan."),
        ("altitude", "The valley lies at 2,000 to 3,100 m.", "It is high."),
        ("duration", "Plan 2-3 hours for the visit.", "Take your time."),
        ("best_season", "Autumn (October) is the best season.", "Any time is nice."),
        ("itinerary", "Day 1: Panda Base. Day 2: Leshan.", "Chengdu has many sights."),
        ("itinerary", "第1天：熊猫基地。第2天：乐山大佛。", "成都有很多景点。"),
    ],
)
def test_usable_fact_by_kind(asks: str, good: str, bad: str) -> None:
    assert checks.usable_fact(good, asks)
    assert not checks.usable_fact(bad, asks)


def test_route_is_not_an_address() -> None:
    reply = "The address: Provincial Road 301.\nCoordinates: 33.16, 103.92"
    assert not checks.usable_fact(reply, "directions")
    assert checks.usable_fact(reply, "location")


# ---------------------------------------------------------------- report and data


def test_figures_and_targets() -> None:
    def result(lang: str, ok: bool) -> ev.TurnResult:
        r = ev.TurnResult("d", 1, "x", {"lang": lang}, ["y"])
        r.checks = {m: ok for m in ev.METRICS}
        r.checks["wrong_place"] = not ok
        return r

    table = ev.figures([result("en", True), result("en", True), result("de", False)])
    assert table["en"]["right_place"] == 1.0 and table["all"]["turns"] == 3
    assert table["zh"]["turns"] == 0 and table["zh"]["answered"] is None
    assert not ev.targets_met(table)["answered"]
    assert "right place" in ev.render_table(table)


def test_dialogue_files_are_valid_and_cover_every_language() -> None:
    dialogues = ev.load_dialogues(ev.DIALOGUE_DIR, load_entries())
    per_lang = {
        lang: sum(d.language == lang for d in dialogues) for lang in {d.language for d in dialogues}
    }
    assert len(dialogues) >= 400
    assert len(per_lang) == 8 and min(per_lang.values()) >= 50
    asked = {t.asks for d in dialogues for t in d.turns}
    assert {"ticket", "directions", "itinerary", "topic", "language_switch"} <= asked
    assert any(t.place == "unknown" for d in dialogues for t in d.turns)


def test_bad_dialogue_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text(
        "dialogues:\n- id: x\n  turns:\n  - {user: hi, lang: en, place: nowhere, asks: ticket}\n"
        "  - {user: ok, lang: en, place: null, asks: smalltalk}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown entry id"):
        ev.load_dialogues(tmp_path, ["jiuzhaigou"])


def test_canned_texts_come_from_the_bot_texts() -> None:
    texts = ev.canned_texts()
    assert len(texts) >= 8 * 4


def test_brand_names_in_a_chinese_reply_are_not_a_foreign_sentence(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    brands = "部分境外电子钱包（如AlipayHK、Kakao Pay、Touch 'n Go、TrueMoney等）可直接扫码支付。"
    assert checks.fully_in_language(brands, "zh", index, guesser)


def test_names_followed_by_korean_or_japanese_particles_are_names(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    reply = "Wuhou Shrine는 청두에 있습니다."
    assert checks.right_place(reply, "wuhou", "ko", index)  # no Korean name: the English one
    assert checks.fully_in_language(reply, "ko", index, guesser)
    assert checks.fully_in_language("Wuhou Shrineは成都にあります。", "ja", index, guesser)


def test_a_short_ambiguous_reply_counts_as_the_session_language(
    index: checks.NameIndex, guesser: LanguageGuesser
) -> None:
    assert checks.reply_language("Prima.", index, guesser, "de") == "de"
    assert checks.reply_language("Great.", index, guesser, "de") == "en"
    assert checks.reply_language("Perfecto.", index, guesser, "de") == "es"
