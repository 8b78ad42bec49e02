"""The checks ``make eval-dialogues`` applies to each bot reply (pure functions, no server).

A *reply* is the text of all bot messages of one turn joined by newlines. Every check is a small
function of the reply and the turn's expectations:

* :func:`reply_language` / :func:`foreign_segments` - the reply's language, and the parts of it written
  in another language (knowledge-base names, URLs, numbers and a Chinese address do not count);
* :func:`named_entries` - which knowledge-base entries the reply names (leftmost-longest match over all
  names and aliases), the basis of right place / wrong place;
* :func:`is_refusal`, :func:`says_no_information`, :func:`answered`, :func:`usable_fact`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from knowledge_base.textfold import to_simplified

FACT_ASKS: frozenset[str] = frozenset(
    "ticket hours location contact reservation directions accessibility best_season altitude food "
    "duration itinerary".split()
)
OTHER_ASKS: frozenset[str] = frozenset(
    "topic smalltalk language_switch language_kept info recommend".split()
)
ASKS: frozenset[str] = FACT_ASKS | OTHER_ASKS
UNKNOWN = "unknown"
REFUSAL_PREFIX = 20
"""Characters of a canned text that identify it (its ending may name a changed hotline)."""

# ----------------------------------------------------------------- phrase families (all languages)

_I = re.IGNORECASE
VERIFY = re.compile(
    r"verif|check with|confirm with|not confirmed|核实|核實|确认|確認|以.{0,12}为准|未确认|"
    r"확인|vérifi|renseign|pas confirm|erkundig|prüfen Sie|nicht bestätigt|verifique|confirme|"
    r"consulte|no (está|están) confirmad|уточн|провер|не подтвержд",
    _I,
)
NO_INFORMATION = re.compile(
    r"(don'?t|do not) (yet )?have (any )?information|no information|not (yet )?in my knowledge|"
    r"没有.{0,12}(信息|资料)|暂无.{0,6}(信息|资料)|还没有.{0,12}(信息|资料)|不了解|"
    r"情報(が|は)(まだ)?(あり|ござい)ません|情報を(持って|もって)いません|"
    r"정보(가|는) (아직 )?없|정보를 (아직 )?(가지고 있지|갖고 있지) 않|"
    r"pas (encore )?d'informations?|aucune information|"
    r"keine (weiteren )?(Informationen|Angaben)|"
    r"no (tengo|dispongo de|hay) (todavía |aún )?(información|datos)|"
    r"нет (пока )?(информации|сведений|данных)",
    _I,
)
KIND_WORDS: dict[str, re.Pattern[str]] = {
    "ticket": re.compile(
        r"票|价|price|ticket|admission|entr(y|ance)|prix|billet|tarif|Preis|Eintritt|Ticket|precio|"
        r"entrada|tarifa|цен|билет|стоим|料金|入場|チケット|요금|입장|티켓|free|免费|無料|무료",
        _I,
    ),
    "hours": re.compile(
        r"开放|营业|时间|開館|営業|時間|hours|open|horaire|ouvert|Öffnungs|geöffnet|horario|abre|"
        r"abierto|врем|работ|открыт|시간|운영|개방",
        _I,
    ),
    "location": re.compile(
        r"地址|位于|住所|所在地|주소|위치|address|located|adresse|se trouve|liegt|Adresse|"
        r"dirección|se encuentra|адрес|находится|расположен",
        _I,
    ),
    "contact": re.compile(
        r"电话|電話|전화|phone|téléphone|Telefon|teléfono|телефон|热线|hotline", _I
    ),
    "reservation": re.compile(
        r"预约|預約|予約|예약|reserv|book|réserv|buch|Reservier|reserva|бронир|запис", _I
    ),
    "directions": re.compile(
        r"交通|怎么去|前往|路线|アクセス|行き方|교통|가는|route|get(ting)? (there|to)|transport|"
        r"itinéraire|y aller|accès|Anfahrt|Anreise|erreich|cómo llegar|llegar|ruta|добрат|проезд|маршрут",
        _I,
    ),
    "accessibility": re.compile(
        r"无障碍|轮椅|バリアフリー|車椅子|휠체어|장애|wheelchair|accessib|fauteuil|PMR|barrierefrei|"
        r"Rollstuhl|silla de ruedas|accesib|movilidad reducida|инвалид|коляс|доступн",
        _I,
    ),
    "best_season": re.compile(
        r"季|季節|最佳|時期|계절|시기|season|best time|saison|meilleur|Jahreszeit|Reisezeit|beste Zeit|"
        r"temporada|época|mejor|сезон|лучшее время",
        _I,
    ),
    "altitude": re.compile(r"海拔|標高|해발|고도|altitude|elevation|Höhe|altitud|высот", _I),
    "food": re.compile(
        r"吃|美食|小吃|餐|料理|グルメ|食べ|음식|맛집|먹|food|eat|dish|cuisine|manger|plat|Essen|essen|"
        r"Gericht|Küche|comida|comer|plato|gastronom|еда|блюд|кухн|поесть",
        _I,
    ),
    "duration": re.compile(
        r"多久|多长时间|时长|游玩|所要|時間|日程|시간|소요|how long|duration|spend|combien de temps|durée|"
        r"wie lange|Dauer|cuánto tiempo|duración|сколько времени|продолжительн",
        _I,
    ),
    "itinerary": re.compile(
        r"行程|日程|第.天|プラン|일정|itinerar|plan|day|programme|jour|Reiseplan|Tag|itinerario|día|"
        r"маршрут|програм|день",
        _I,
    ),
}
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"januar|februar|märz|juni|juli|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр"
)
_DAY_MARKER = re.compile(
    r"第\s*[一二三四五六七1-7]\s*天|day\s*[1-7]|jour\s*[1-7]|tag\s*[1-7]|día\s*[1-7]|день\s*[1-7]|"
    r"[1-7]\s*日目|[1-7]\s*일\s*(차|째)|(первый|второй|третий) день|(premier|deuxième|troisième) jour",
    _I,
)
_HALF_DAY = re.compile(
    r"上午|下午|早上|晚上|午前|午後|오전|오후|morning|afternoon|evening|matin|après-midi|soir|"
    r"Vormittag|Nachmittag|Abend|mañana|tarde|noche|утр|днём|днем|вечер",
    _I,
)
VALUES: dict[str, Callable[[str], bool]] = {
    "ticket": lambda t: bool(
        re.search(
            r"\d+(?:[.,]\d+)?\s*(元|块|CNY|RMB|yuan|юан\w*|위안)|(¥|￥|CNY|RMB)\s*\d|"
            r"免费|free|gratuit|kostenlos|Eintritt (ist )?frei|gratis|gratuit[ao]|бесплатн|無料|무료",
            t,
            _I,
        )
    ),
    "hours": lambda t: bool(
        re.search(
            r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*(点|時|시)|24\s*(小时|時間|시간|hours?|h\b|heures|"
            r"Stunden|horas|час)|全天|круглосуточно",
            t,
            _I,
        )
    ),
    "contact": lambda t: bool(
        re.search(
            r"(?<!\d)(\d{3,4}[- ]?\d{7,8}|1\d{4}|400[- ]?\d{3}[- ]?\d{4}|1[3-9]\d{9})(?!\d)", t
        )
    ),
    "location": lambda t: bool(
        re.search(r"[\u4e00-\u9fff]{2,}(省|市|州|县|区|镇|乡|路|街|道|号|村)", t)
        or re.search(r"\d{1,3}\.\d+\s*[,，]\s*\d{1,3}\.\d+", t)
    ),
    "directions": lambda t: bool(
        re.search(
            r"地铁|高铁|动车|大巴|公交|客运|班车|火车|打车|包车|自驾|机场|地下鉄|バス|新幹線|高速鉄道|列車|電車|"
            r"タクシー|지하철|버스|기차|고속철|택시|공항|metro|subway|bus|train|coach|taxi|drive|flight|"
            r"airport|métro|autocar|gare|aéroport|U-Bahn|Zug|Bahn|Fernbus|Flughafen|autobús|tren|"
            r"aeropuerto|метро|автобус|поезд|такси|электричк|аэропорт|\d+\s*(号线|호선)|line\s*\d",
            t,
            _I,
        )
    ),
    "reservation": lambda t: bool(KIND_WORDS["reservation"].search(t)),
    "accessibility": lambda t: bool(KIND_WORDS["accessibility"].search(t)),
    "best_season": lambda t: bool(
        re.search(
            r"[春夏秋冬]|\d{1,2}\s*(月|월)|봄|여름|가을|겨울|spring|summer|autumn|fall\b|winter|"
            r"printemps|été|automne|hiver|Frühling|Sommer|Herbst|primavera|verano|otoño|invierno|"
            r"весн|лет[оа]|осен|зим|" + _MONTHS,
            t,
            _I,
        )
    ),
    "altitude": lambda t: bool(
        re.search(
            r"\d[\d,. \u202f]*\s*(m\b|米|メートル|미터|м\b|метр|meters?|metres?|mètres|Meter|metros)",
            t,
            _I,
        )
    ),
    "food": lambda t: bool(
        re.search(
            r"火锅|火鍋|串串|担担面|麻婆|兔头|钵钵鸡|冒菜|牦牛|小吃|豆花|凉粉|抄手|面|hot ?pot|noodle|"
            r"tofu|dumpling|snack|yak|spicy|fondue|nouilles|raviolis|Feuertopf|Nudeln|Teigtaschen|"
            r"olla caliente|fideos|empanadill|хого|лапш|пельмен|острый|鍋|麺|豆腐|훠궈|국수|두부|만두",
            t,
            _I,
        )
    ),
    "duration": lambda t: bool(
        re.search(
            r"\d+(?:[.,]\d+)?\s*(?:[-–~至到]\s*\d+\s*)?(小时|个小时|天|日間|日|時間|시간|일|hours?|days?|"
            r"h\b|heures?|jours?|Stunden?|Tage?n?|horas?|días?|час\w*|дн\w*|день)|半天|一天|半日|반나절|"
            r"half a day|full day|demi-journée|journée entière|halben Tag|ganzen Tag|medio día|"
            r"día completo|полдня|целый день",
            t,
            _I,
        )
    ),
    "itinerary": lambda t: (
        len({m.group(0).replace(" ", "").lower() for m in _DAY_MARKER.finditer(t)}) >= 2
        or len({m.group(0).lower() for m in _HALF_DAY.finditer(t)}) >= 2
    ),
}
EVENT_PREFIX = "event-"
EVENT_DATE = re.compile(
    r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|农历|農曆|旧暦|음력|lunar|lunaire|Mondmonat|лунн", _I
)
"""A festival's date: an ISO date or a lunar-calendar day (source lines and URLs are left out)."""
_SOURCE_LINE = re.compile(r"^\s*(source|来源|出典|출처|quelle|fuente|источник)\b.*$", _I | re.M)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


# ----------------------------------------------------------------- knowledge-base names


@dataclass(frozen=True)
class Surface:
    """One way the knowledge base writes an entry's name."""

    entry_id: str
    text: str
    lang: str | None  # language of a ``names`` field; None for an alias


class NameIndex:
    """All names and aliases of the knowledge base, matched leftmost-longest in replies."""

    def __init__(
        self, surfaces: Iterable[Surface], place_ids: Iterable[str], names: Mapping[str, dict]
    ) -> None:
        self.surfaces = sorted(
            {s for s in surfaces if _long_enough(s.text)},
            key=lambda s: (-len(s.text), s.entry_id, s.lang or ""),
        )
        self.place_ids = frozenset(place_ids)
        self.names = dict(names)
        self._patterns = [(s, _surface_pattern(s.text)) for s in self.surfaces]

    @classmethod
    def from_entries(cls, entries: Mapping[str, object]) -> NameIndex:
        """Build from ``knowledge_base.store.load_entries()``."""
        surfaces: list[Surface] = []
        names: dict[str, dict] = {}
        places: list[str] = []
        for entry_id, entry in entries.items():
            entry_names = entry.names.model_dump()  # type: ignore[attr-defined]
            names[entry_id] = entry_names
            for lang, text in entry_names.items():
                if text:
                    surfaces.append(Surface(entry_id, text, lang))
            for alias in entry.aliases:  # type: ignore[attr-defined]
                surfaces.append(Surface(entry_id, alias, None))
            if entry.type != "topic":  # type: ignore[attr-defined]
                places.append(entry_id)
        return cls(surfaces, places, names)

    def find(self, text: str) -> list[tuple[Surface, tuple[int, int]]]:
        """Names found in ``text``, leftmost-longest, none overlapping."""
        folded = to_simplified(text).lower()
        taken = [False] * len(folded)
        found: list[tuple[Surface, tuple[int, int]]] = []
        for surface, pattern in self._patterns:
            for match in pattern.finditer(folded):
                start, end = match.span()
                if any(taken[start:end]):
                    continue
                taken[start:end] = [True] * (end - start)
                found.append((surface, (start, end)))
        return sorted(found, key=lambda item: item[1])

    def strip(self, text: str) -> str:
        """``text`` with every knowledge-base name replaced by a space."""
        spans = [span for _, span in self.find(text)]
        chars = list(text)
        for start, end in spans:
            chars[start:end] = [" "] * (end - start)
        return "".join(chars)

    def local_name(self, entry_id: str, lang: str) -> str:
        """The entry's name in ``lang`` (English, then Chinese when missing), as the answers write it."""
        names = self.names.get(entry_id, {})
        return str(names.get(lang) or names.get("en") or names.get("zh") or "")


def _long_enough(text: str) -> bool:
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]", text):
        return len(text.strip()) >= 2
    return len(text.strip()) >= 3


_LATIN_LETTER = "A-Za-zÀ-ÖØ-öø-ÿœŒß"
_CYRILLIC_LETTER = "\u0400-\u04ff"


def _surface_pattern(text: str) -> re.Pattern[str]:
    """A name matches as a whole word of its own script; Korean or Japanese particles may follow."""
    body = re.escape(to_simplified(text).lower()).replace(r"\ ", r"[\s\-]?")
    for letters in (_LATIN_LETTER, _CYRILLIC_LETTER):
        if re.match(f"[{letters}]", text):
            body = f"(?<![{letters}])" + body
        if re.search(f"[{letters}]$", text):
            body += f"(?![{letters}])"
    return re.compile(body)


def named_entries(reply: str, index: NameIndex) -> dict[str, set[str | None]]:
    """Entry id -> languages of the names that named it (None for an alias)."""
    out: dict[str, set[str | None]] = {}
    for surface, _ in index.find(reply):
        out.setdefault(surface.entry_id, set()).add(surface.lang)
    return out


def right_place(reply: str, expected: str, lang: str, index: NameIndex) -> bool:
    """Names ``expected`` in the reply's language (or by an alias); for ``unknown``: says it has no
    information and names no place of the knowledge base."""
    named = named_entries(reply, index)
    if expected == UNKNOWN:
        return says_no_information(reply) and not (set(named) & index.place_ids)
    langs = named.get(expected, set())
    local = index.local_name(expected, lang)
    return bool(
        langs & {None, lang}
        or any(index.names[expected].get(code) == local for code in langs if code)
    )


def wrong_place(reply: str, expected: str, index: NameIndex) -> bool:
    """Names another place of the knowledge base instead of the expected entry (or of saying it
    does not know an unknown place)."""
    named = set(named_entries(reply, index))
    others = (named - {expected}) & index.place_ids
    if not others:
        return False
    return expected == UNKNOWN or expected not in named


# ----------------------------------------------------------------- answers


def is_refusal(messages: list[str], canned: Iterable[str]) -> bool:
    """True when there is no reply or every message is a canned fallback / out-of-scope text."""
    keys = {_key(text) for text in canned if text.strip()}
    texts = [m for m in messages if m.strip()]
    return not texts or all(_key(m) in keys for m in texts)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())[:REFUSAL_PREFIX].lower()


def says_no_information(reply: str) -> bool:
    """The reply says it has no information (about a place it does not know)."""
    return bool(NO_INFORMATION.search(reply))


def substance(reply: str) -> str:
    """The reply without source lines, URLs and sentences that only say "not confirmed / verify"."""
    text = _URL.sub(" ", _SOURCE_LINE.sub(" ", reply))
    kept = [s for s in _sentences(text) if not VERIFY.search(s)]
    return "\n".join(kept)


def usable_fact(reply: str, asks: str) -> bool:
    """A concrete value of the asked kind (price, hh:mm, phone, route, days...), not only "verify"."""
    body = substance(reply)
    if asks in VALUES:
        return VALUES[asks](body)
    letters = sum(ch.isalpha() for ch in body)
    return letters >= 20


def answered(
    messages: list[str], asks: str, place: str | None, canned: Iterable[str], lang: str = ""
) -> bool:
    """Not a fallback or refusal; an unknown place gets "no information"; a fact question gets that
    kind of information or a "please verify" about it."""
    if is_refusal(messages, canned):
        return False
    reply = "\n".join(messages)
    if place == UNKNOWN:
        return says_no_information(reply)
    if asks in FACT_ASKS:
        if usable_fact(reply, asks):
            return True
        if asks == "hours" and place and place.startswith(EVENT_PREFIX):
            return bool(EVENT_DATE.search(substance(reply)))  # a festival's "when" is its date
        return bool(VERIFY.search(reply) and KIND_WORDS[asks].search(reply))
    return True


# ----------------------------------------------------------------- languages


class Guesser(Protocol):
    """What the checks need of ``bot.components.langid.LanguageGuesser``."""

    def detect(self, text: str, prior: str | None = None) -> object: ...


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(
    rf"[{_HAN}0-9０-９（）()·\-－]*[{_HAN}][{_HAN}0-9０-９（）()·\-－，、。；！？：]*"
)
_CN_SENTENCE_PUNCT = re.compile(r"[，。；！？]")
_SCRIPTS = {
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "latin": re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒßẞ]"),
}
_NATIVE = {
    "zh": {"han"},
    "ja": {"han", "kana"},
    "ko": {"hangul"},
    "ru": {"cyrillic"},
    "en": {"latin"},
    "fr": {"latin"},
    "de": {"latin"},
    "es": {"latin"},
}
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒßẞ]{2,}(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_TECH = re.compile(
    r"\b(CNY|RMB|AMS|WeChat|Alipay|Weixin|UnionPay|Visa|Mastercard|QR|ID|APP|app|km|m|h|GPS|"
    r"Wi-?Fi|PDF|SMS|OK|ok)\b"
)


def clean(reply: str, index: NameIndex) -> str:
    """The reply without knowledge-base names, URLs, e-mail addresses, codes and numbers."""
    text = _URL.sub(" ", index.strip(reply))
    text = _TECH.sub(" ", text)
    return re.sub(r"[0-9０-９]+", " ", text)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def reply_language(reply: str, index: NameIndex, guesser: Guesser, expected: str) -> str | None:
    """Language of the reply once names, URLs and a Chinese address are removed; None when nothing is
    left to judge (only names or numbers)."""
    text = clean(reply, index)
    if expected not in ("zh", "ja"):
        text = _HAN_RUN.sub(" ", text)  # names and the Chinese address
    if _letters(text) == 0:
        return None
    # The expected language is the prior: a one-word reply the detector cannot place ("Prima.")
    # counts as the session's language, a reliably foreign one ("Great.", "Perfecto.") does not.
    guess = guesser.detect(text, prior=expected)
    return str(getattr(guess, "language", guess))


def _sentences(text: str) -> list[str]:
    parts = re.split(r"\n+|(?<=[.!?。！？])\s+|(?<=[。！？])", text)
    return [p.strip() for p in parts if p and p.strip()]


def foreign_segments(reply: str, lang: str, index: NameIndex, guesser: Guesser) -> list[str]:
    """Sentences or labels of the reply written in a language other than ``lang``.

    Knowledge-base names, URLs, numbers and a Chinese address or name (a Han run without Chinese
    sentence punctuation) never count; a Chinese sentence does, except in a Chinese reply.
    """
    foreign: list[str] = []
    for raw in _sentences(clean(reply, index)):
        pieces = [raw]
        if lang not in ("zh", "ja") and ":" in raw:  # "Label: value" - judge the label on its own
            pieces = [p for p in raw.split(":", 1)]
        for piece in pieces:
            if _foreign(piece, lang, guesser):
                foreign.append(piece.strip())
    return foreign


def _foreign(segment: str, lang: str, guesser: Guesser) -> bool:
    if lang not in ("zh", "ja"):
        for run in _HAN_RUN.findall(segment):
            if _CN_SENTENCE_PUNCT.search(run) and len(re.findall(f"[{_HAN}]", run)) >= 6:
                return True
        segment = _HAN_RUN.sub(" ", segment)
    native = _NATIVE[lang]
    for script, pattern in _SCRIPTS.items():
        if script not in native and len(pattern.findall(segment)) >= 2:
            if script == "latin":
                if _latin_sentence(segment):
                    return True
                continue
            return True
    if lang == "ja" and not _SCRIPTS["kana"].search(segment):
        han = len(re.findall(f"[{_HAN}]", segment))
        if han >= 8 and _CN_SENTENCE_PUNCT.search(segment):
            return _lang_of(guesser.detect(segment, prior="ja")) == "zh"
    if native == {"latin"}:
        words = _LATIN_WORD.findall(segment)
        if not words:
            return False
        guess = guesser.detect(" ".join(words), prior=lang)
        other = _lang_of(guess)
        if other == lang or other not in ("en", "fr", "de", "es") or not _reliable(guess):
            return False
        if len(words) <= 2:
            return _short_is_foreign(words, lang, other)
        return float(getattr(guess, "confidence", 0.0)) >= 0.8
    return False


def _latin_sentence(segment: str) -> bool:
    """Three or more lower-case Latin words in a row: a sentence, not a list of brand names."""
    return bool(
        re.search(r"(?<![\w'])[a-zà-öø-ÿ]{2,}(?:[\s,]+[a-zà-öø-ÿ]{2,}){2,}(?![\w'])", segment)
    )


def _short_is_foreign(words: list[str], lang: str, other: str) -> bool:
    """One or two words: foreign only when word frequencies also favour ``other`` over ``lang``."""
    from bot.components.langid import frequency_posterior

    posterior = frequency_posterior([w.lower() for w in words])
    return (
        posterior is not None
        and posterior.get(lang, 0.0) < 0.05
        and posterior.get(other, 0.0) > 0.5
    )


def _lang_of(guess: object) -> str:
    return str(getattr(guess, "language", guess))


def _reliable(guess: object) -> bool:
    return bool(getattr(guess, "reliable", True))


def fully_in_language(reply: str, lang: str, index: NameIndex, guesser: Guesser) -> bool:
    """No sentence or label of the reply is in another language."""
    return not foreign_segments(reply, lang, index, guesser)
