"""Number words and party sizes ("3个人", "两位大人一个小孩", "2 adults and a child", "на двоих").

:func:`find_party` returns ``adults`` / ``children`` entities where the text says who is who and one
``party_size`` entity (the total) spanning all the counts it found.
"""

from __future__ import annotations

import re

from bot.components.entities.patterns import Found

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "贰": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUMBER = "[〇零一壹二两兩贰三四五六七八九十]{1,4}"


def cn_to_int(text: str) -> int | None:
    """Chinese / Japanese numerals up to 99 ("十五", "二十三", "两"), or Arabic digits."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        t = CN_DIGITS.get(tens, None) if tens else 1
        u = CN_DIGITS.get(units, None) if units else 0
        return None if t is None or u is None else t * 10 + u
    if len(text) == 1 and text in CN_DIGITS:
        return CN_DIGITS[text]
    return None


# Word numbers 1-12 (and "a"/"un"/"ein" for one) in the six alphabetic / Hangul languages.
_WORDS: dict[int, str] = {
    1: "one|a|an|un|une|ein|eine|einen|einem|einer|uno|una|un|один|одна|одного|одним|한|하나",
    2: "two|deux|zwei|dos|два|две|двух|двое|두|둘",
    3: "three|trois|drei|tres|три|трёх|трех|трое|세|셋",
    4: "four|quatre|vier|cuatro|четыре|четырёх|четырех|четверо|네|넷",
    5: "five|cinq|fünf|fuenf|cinco|пять|пяти|пятеро|다섯",
    6: "six|sechs|seis|шесть|шести|шестеро|여섯",
    7: "seven|sept|sieben|siete|семь|семи|семеро|일곱",
    8: "eight|huit|acht|ocho|восемь|восьми|여덟",
    9: "nine|neuf|neun|nueve|девять|девяти|아홉",
    10: "ten|dix|zehn|diez|десять|десяти|열",
    11: "eleven|onze|elf|once|одиннадцать",
    12: "twelve|douze|zwölf|doce|двенадцать|열두",
}
WORD_VALUE = {w: n for n, ws in _WORDS.items() for w in ws.split("|")}
_WORD_ALT = "|".join(sorted(WORD_VALUE, key=len, reverse=True))
_ARTICLES = {"a", "an", "un", "une", "ein", "eine", "einen", "einem", "einer", "uno", "una"}
_MANY_ALT = "|".join(sorted((w for w, n in WORD_VALUE.items() if n > 1), key=len, reverse=True))
_JA_PEOPLE = {"ひとり": 1, "一人": 1, "ふたり": 2, "二人": 2}
_RU_COLLECTIVE = {
    "одного": 1,
    "двое": 2,
    "трое": 3,
    "четверо": 4,
    "пятеро": 5,
    "двоих": 2,
    "троих": 3,
    "четверых": 4,
    "пятерых": 5,
    "шестерых": 6,
    "вдвоём": 2,
    "вдвоем": 2,
    "втроём": 3,
    "втроем": 3,
    "вчетвером": 4,
}
_DE_ZU = {"zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6}

ADULT = "adults"
CHILD = "children"
ANY = "people"
OTHER = "others"  # counted in the total, no entity of their own (students)

# person nouns -> role
_NOUNS: list[tuple[str, str]] = [
    (r"大人|成人|成年人|大朋友|老人|老年人|シニア", ADULT),
    (r"小孩子?|孩子|儿童|兒童|小朋友|宝宝|寶寶|婴儿|子供|子ども|こども|幼児|小人", CHILD),
    (r"学生|學生|大学生|大學生", OTHER),
    (r"人|位|名|游客|遊客", ANY),
    (r"성인|어른|노인", ADULT),
    (r"아이|어린이|아동|유아", CHILD),
    (r"명|사람|(?<=\d)인(?![가-힣])|(?<=\d)인(?=용|분)", ANY),  # not 분: "5분" is five minutes
    (
        r"adults?|grown-?ups?|seniors?|elderly|erwachsenen?|erwachsener|senioren|adultes?|adultos?|"
        r"mayores|взрослы[хйе]|взрослого|пенсионер\w*",
        ADULT,
    ),
    (
        r"child(?:ren)?|kids?|bab(?:y|ies)|toddlers?|infants?|enfants?|bébés?|kinder[n]?|kind|"
        r"kleinkind(?:er)?|niñ[oa]s?|nin[oa]s?|bebés?|hij[oa]s?|дет(?:ей|и)|ребён\w*|ребен\w*",
        CHILD,
    ),
    (
        r"people|persons?|guests?|pax|travell?ers?|visitors?|of\s+us|personnes?|gens|personen|leute|"
        r"gäste|personas?|gente|человека?|персон\w*|гост\w*|туриста?|туристов",
        ANY,
    ),
]
_CJK_COUNT = r"(?P<n>\d{1,2}|" + CN_NUMBER + r")\s*(?:个|個|位|名)?\s*"


def _build() -> list[re.Pattern]:
    patterns = []
    cjk_nouns = "|".join(f"(?P<{role}{i}>{nouns})" for i, (nouns, role) in enumerate(_NOUNS[:4]))
    # Chinese / Japanese: [role] N [classifier] [noun]  or  N [classifier] noun
    patterns.append(
        re.compile(
            _CJK_COUNT
            + f"(?:{cjk_nouns})"
            + r"|(?P<pre2>大人|成人|成年人|老人|小孩|孩子|儿童|兒童|子供|子ども|こども|幼児|シニア)\s*"
            r"(?P<n2>\d{1,2}|" + CN_NUMBER + r")\s*(?:个|個|位|名|人)"
        )
    )
    # Korean: N 명 / N 사람 / N인, or role + count ("어른 둘", "아이 한 명")
    patterns.append(
        re.compile(
            r"(?P<pre2>성인|어른|노인|아이|어린이|아동|유아)\s*"
            r"(?P<n2>\d{1,2}\s*명|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*명|하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)"
            r"|(?P<n>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열두)\s*(?P<people3>"
            + _NOUNS[6][0]
            + r")"
        )
    )
    latin_nouns = "|".join(
        f"(?P<{role}{i}>{nouns})" for i, (nouns, role) in enumerate(_NOUNS[7:], 7)
    )
    patterns.append(
        re.compile(
            r"(?<![\w-])(?P<n>\d{1,2}|"
            + _WORD_ALT
            + r")\s+(?:(?:little|young|small|petits?|kleine[n]?|"
            r"pequeñ[oa]s|маленьки[хе])\s+)?(?:" + latin_nouns + r")(?!\w)",
            re.IGNORECASE,
        )
    )
    return patterns


_PATTERNS = _build()
_GROUP_ONLY = [
    (
        re.compile(
            r"(?<!\w)(?:на|нас)\s+(?P<w>"
            + "|".join(_RU_COLLECTIVE)
            + r")(?!\w)|(?<!\w)(?P<w2>вдвоём|вдвоем|втроём|втроем|вчетвером)(?!\w)",
            re.I,
        ),
        _RU_COLLECTIVE,
    ),
    (re.compile(r"(?<!\w)zu\s+(?P<w>" + "|".join(_DE_ZU) + r")(?!\w)", re.I), _DE_ZU),
    (re.compile(r"(?P<w>ひとり|ふたり)"), _JA_PEOPLE),
    (
        re.compile(
            r"(?<!\w)(?:party|group)\s+of\s+(?P<w>\d{1,2})(?!\w)|(?<!\w)(?:nous\s+sommes|wir\s+sind|somos)\s+(?P<w2>\d{1,2}|"
            + _MANY_ALT
            + r")(?!\w)",
            re.I,
        ),
        None,
    ),
]


def _value(token: str) -> int | None:
    token = re.sub(r"\s*명$", "", token.lower())
    return cn_to_int(token) if re.fullmatch(r"\d+|" + CN_NUMBER, token) else WORD_VALUE.get(token)


def _scan(pattern: re.Pattern, text: str):
    """Like ``finditer`` but retries one character on when a match has no usable number,
    so "下周五两位" still finds "两位"."""
    pos = 0
    while pos < len(text):
        m = pattern.search(text, pos)
        if not m:
            return
        number = m.groupdict().get("n") or m.groupdict().get("n2") or ""
        if _value(number):
            yield m
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1


def role_is_any(m: re.Match) -> bool:
    """The match names people without saying adult or child."""
    return not (m.groupdict().get("pre") or m.groupdict().get("pre2")) and not any(
        v and k.rstrip("0123456789") in (ADULT, CHILD, OTHER) for k, v in m.groupdict().items()
    )


def find_party(text: str) -> list[Found]:
    """``adults`` / ``children`` counts and a ``party_size`` total spanning them."""
    counts: list[tuple[str, int, int, int]] = []  # role, n, start, end
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in _scan(pattern, text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            number = m.groupdict().get("n") or m.groupdict().get("n2") or ""
            n = _value(number)
            if not n or n > 50 or (role_is_any(m) and number.lower() in _ARTICLES):
                continue  # "talk to a person" / "une personne" is no party size
            if number == "一" and text[max(0, m.start() - 1) : m.start()] == "五":
                continue  # 五一 is the May Day holiday
            role = next(
                (
                    k.rstrip("0123456789")
                    for k, v in m.groupdict().items()
                    if v and k.rstrip("0123456789") in (ADULT, CHILD, ANY, OTHER)
                ),
                ANY,
            )
            pre = m.groupdict().get("pre") or m.groupdict().get("pre2")
            if pre and role == ANY:
                role = (
                    CHILD
                    if re.search(
                        r"小孩|孩子|儿童|兒童|子供|子ども|こども|幼児|아이|어린이|아동|유아", pre
                    )
                    else ADULT
                )
            counts.append((role, n, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for pattern, table in _GROUP_ONLY:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            word = m.group("w") or m.groupdict().get("w2")
            if not word:
                continue
            n = table.get(word.lower()) if table else _value(word)
            if n:
                counts.append((ANY, n, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    if not counts:
        return []
    found: list[Found] = []
    adults = sum(n for role, n, _, _ in counts if role == ADULT)
    children = sum(n for role, n, _, _ in counts if role == CHILD)
    others = sum(n for role, n, _, _ in counts if role == OTHER)
    generic = max((n for role, n, _, _ in counts if role == ANY), default=0)
    for role, n, start, end in counts:
        if role in (ADULT, CHILD):
            found.append(Found(role, n, start, end))
    total = max(adults + children + others, generic)
    start = min(c[2] for c in counts)
    end = max(c[3] for c in counts)
    found.append(Found("party_size", total, start, end))
    return found
