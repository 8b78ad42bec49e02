"""Which place a tourist's message is about: the one dialogue-state decision, in one module.

The rules, in order:

1. **Named** — a place named in the message always wins: any name or alias of any entry in any of
   the eight languages, written exactly (folded: case, spaces, Traditional characters, tone marks and
   tone digits do not matter) or misspelt (edit distance over whole words for Latin and Cyrillic
   script, over jamo for Hangul, over characters for Han and kana; bounded by the name's length and
   never on short common words). The NLU gazetteer's ``attraction``/``topic`` entities count too.
   Attractions come before topics; a named topic (a festival, payment, refunds...) gives ``topic``.
2. **Unknown** — no entry is named but the message names a place-like thing ("春熙路", "太古里",
   "the Great Wall", "la tour Eiffel", "東京タワー", "에펠탑"): the answer is "I don't have
   information about X yet". Never the previous place, never search.
3. **Carried over** — no place at all ("and the hours?", "怎么去？"): the previous turn's place.
4. **Searched** — nothing named and nothing to carry over: hybrid search with its score threshold
   (``search`` is passed in, so this module imports no encoder).

Pure Python plus ``rapidfuzz``; build a :class:`PlaceResolver` once per set of entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from common.pinyin import segment
from knowledge_base.aliases import AliasTable, build_table, is_cjk
from knowledge_base.textfold import fold

if TYPE_CHECKING:
    from knowledge_base.schema import Entry

__all__ = ["Kind", "PlaceDecision", "PlaceResolver", "SearchFn", "plain_text"]

Kind = Literal["named", "carried_over", "unknown", "topic", "searched", "none"]
SearchFn = Callable[[str], Sequence[tuple[str, float]]]
"""Hybrid search: text -> ``(entry id, score)`` best first, empty when nothing is good enough."""

TOPIC_TYPES = frozenset({"topic", "event"})
PLACE_ASPECT_TOPICS = frozenset({"topic-concessions"})
"""Topics that are an aspect of a named place's own facts ("65세인데 러산대불 할인돼요?" asks
Leshan's ticket): beside a named place the place wins; every other topic wins over it."""
NAMED_SCORE = 1.0


@dataclass(frozen=True)
class PlaceDecision:
    """What the message is about.

    ``entry_id`` is the chosen entry (None for ``unknown``/``none``); ``mention`` the words of the
    message that named it (the unknown place's name for ``unknown``); ``score`` 1.0 for an exact
    name, below 1 for a misspelling, the search score for ``searched``; ``hits`` every search result
    (``k`` of them for recommendations) or the one chosen entry.
    """

    kind: Kind
    entry_id: str | None = None
    mention: str | None = None
    score: float = 0.0
    hits: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True)
class _Found:
    entry_id: str
    score: float
    start: int
    end: int
    text: str


# --------------------------------------------------------------------------- text helpers

_TONE_DIGIT = re.compile(r"(?<=[a-zA-Z])[1-5](?=[a-zA-Z]|\b)")
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_latin(char: str) -> bool:
    return char.isalpha() and ord(char) < 0x250


def _is_cyrillic(char: str) -> bool:
    return 0x400 <= ord(char) <= 0x52F


def _is_hangul(char: str) -> bool:
    return 0xAC00 <= ord(char) <= 0xD7AF


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def _is_kana(char: str) -> bool:
    return 0x30A0 <= ord(char) <= 0x30FF or char == "ー"


def plain_text(text: str) -> str:
    """NFKC, Latin accents and pinyin tone marks/digits removed (same length for accents).

    "Jiǔzhàigōu", "jiu3zhai4gou1" and "Emeï" become "Jiuzhaigou", "jiuzhaigou" and "Emei"; other
    scripts are left as they are.
    """
    out = []
    for char in unicodedata.normalize("NFKC", text):
        if ord(char) < 0x250 and char.isalpha() and not char.isascii():
            base = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
            out.append(base if len(base) == 1 and char not in "ßæøœ" else char)
        else:
            out.append(char)
    return _TONE_DIGIT.sub("", "".join(out))


_JAMO_L = [chr(c) for c in range(0x1100, 0x1113)]
_JAMO_V = [chr(c) for c in range(0x1161, 0x1176)]
_JAMO_T = ["", *[chr(c) for c in range(0x11A8, 0x11C3)]]


def _jamo(text: str) -> str:
    """Hangul syllables decomposed into jamo, so one wrong vowel is one edit, not a syllable."""
    out = []
    for char in text:
        if _is_hangul(char):
            index = ord(char) - 0xAC00
            out += [_JAMO_L[index // 588], _JAMO_V[(index % 588) // 28], _JAMO_T[index % 28]]
        else:
            out.append(char)
    return "".join(out)


def _allowed_edits(length: int) -> int:
    """Edits a misspelling of a name of ``length`` folded letters may have."""
    if length < 5:
        return 0
    if length < 8:
        return 1
    if length < 12:
        return 2
    return 3


# Words that are generic in place names: they alone never name an entry, and a misspelling of a
# place is never one of them (nor of the common words below).
_GENERIC = frozenset(
    """
    the of de del des la le les los las du di da von der die das und and et y
    mount mountain mountains mt mont monte montana montaña berg gebirge gora гора горы
    valley vallee vallée valle tal долина scenic area spot park parc parque national nature reserve
    temple templo tempel shrine schrein monastery monastere monasterio kloster храм храма храме
    монастырь museum musee musée museo музей музея site sitio stätte ancient antigua ancien alte
    town ville ciudad stadt city county district old new great grand gran große großer großen
    street rue calle strasse straße alley alleys ruelles gassen gasse callejones callejon переулки
    giant gigante géant riesen big large small narrow wide ancho estrecho breite schmale
    base basis centre center centro research forschungsbasis breeding cría zucht
    festival fest fête fiesta feria фестиваль праздник international internacional
    lantern lanterns laternen linternas фонарей library bibliothek biblioteca библиотека
    hometown heimat ciudad natal родина former residence residencia residenz
    pass col paso pass passe перевал cottage chaumiere hütte cabaña хижина
    zone zona area gebiet special especial tourism tourisme turismo tourismus
    ticket tickets price prices hours open opening where when how what which much many
    chengdu sichuan china chinese chine china chinesisch
    """.split()
)
_COMMON = frozenset(
    """
    where there their these those which while would could should about above after again
    price prices ticket tickets hours opening closing close phone number address visit visiting
    how what when much many does have please thanks hello morning evening night today tomorrow
    horario precio entrada donde cuando cuanto billet billets prix heures adresse ouvert ferme
    preis preise eintritt karte karten wann wie viel geöffnet adresse telefon nummer
    цена цены билет билеты адрес телефон часы работы когда сколько где
    station airport hotel train metro subway taxi busses restaurant
    """.split()
)

# Sichuan, its cities and prefectures and China: areas, not places we lack (search decides).
_AREAS = """
四川 四川省 成都 成都市 中国 sichuan chengdu china chine 쓰촨 사천 청두 成都 四川省 中国
Сычуань Чэнду Китай Sichuán Chengdú Szechuan Setchouan
""".split()


# --------------------------------------------------------------------------- unknown mentions

_ZH_SUFFIXES = sorted(
    """博物馆 博物院 纪念馆 美术馆 科技馆 古镇 古城 风景区 景区 公园 广场 步行街 大街 长城 铁塔 大教堂 教堂 灯会
    寺 庙 宫 塔 桥 山 湖 路 街 巷 里 村 镇 岛 峡 谷 洞 海 江 河 祠 观 院 楼 阁 园 馆 城 坝 堰 沟 泉 瀑布 峰 溪
    """.split(),
    key=len,
    reverse=True,
)
_ZH_STRONG_SINGLE = frozenset("湖寺塔宫庙峰桥洞祠阁")
_ZH_STOP = frozenset(
    "去到在的从是想我你他她它们要请问和跟与看逛游玩个这那哪有没吗呢么怎几多少离近附上下外前后边旁对往向给帮能可以会该还也就很最好及或去过来走坐乘打"
    "门票价钱时开关电话地址怎样如何吧啊呀哦嗯，。？！、 "
)
_ZH_WORDS = frozenset(
    """海拔 海鲜 路线 路程 路费 路况 里面 里程 城市 江湖 馆长 宫保 村民 峰会 观光 观看 街道""".split()
)
"""Words that begin with a one-character place suffix: never the end of a place name."""
_ZH_GENERIC = frozenset(
    """爬山 登山 上山 下山 进山 出山 高山 雪山 大山 名山 游湖 马路 公路 道路 走路 问路 一路 上路 路上
    街上 逛街 老街 大街 小巷 寺庙 庙会 花园 公园 乐园 动物园 校园 景区 城里 城市 进城 市里 村里 这里 那里
    哪里 家里 公里 千里 里面 饭馆 餐馆 茶馆 宾馆 旅馆 酒馆 场馆 展馆 图书馆 博物馆 纪念馆 美术馆 体育馆
    大楼 楼上 楼下 大海 出海 河边 江边 湖边 山上 山下 山顶 山脚 景点 寺院 医院 学院 法院 电影院 剧院
    戏院 庭院 大院 小区 古镇 古城 高原 草原 雪山 冰川 温泉 熊猫 景区里""".split()
)
_JA_SUFFIXES = sorted(
    "博物館 美術館 神社 神宮 公園 タワー 通り 長城 大聖堂 寺 城 山 湖 宮 塔 橋 庭園 寺院".split(),
    key=len,
    reverse=True,
)
_JA_GENERIC = frozenset("登山 下山 お寺 神社 公園 博物館 美術館 お城 城 タワー".split())
_KO_SUFFIXES = sorted(
    "박물관 미술관 공원 장성 타워 호수 거리 시장 사원 성당 대성당 폭포 대교 궁 탑 산 섬 사".split(),
    key=len,
    reverse=True,
)
_KO_PARTICLES = sorted(
    "에서는 에서 으로 에는 에도 까지 부터 은 는 이 가 을 를 에 로 의 도 와 과".split(),
    key=len,
    reverse=True,
)
_KO_GENERIC = frozenset(
    "등산 하산 입산 회사 여행사 감사 역사 기사 의사 검사 조사 공원 박물관 거리 시장".split()
)

_LATIN_PLACE_NOUNS = (
    r"Tower|Temple|Street|Road|Park|Lake|Mountain|Mount|Museum|Palace|Wall|Square|Bridge|Gate|Castle|"
    r"Caves|Cave|Grottoes|Village|City|Memorial|Mausoleum|Tomb|Pavilion|"
    r"Cathedral|Church|Market|Garden|Gardens|Zoo|Island|Beach|Falls|Canyon|Monastery|Shrine|Pagoda|"
    r"Tour|Rue|Musee|Parc|Lac|Mont|Palais|Pont|Place|Cathedrale|Eglise|Jardin|Chateau|Muraille|"
    r"Torre|Calle|Museo|Parque|Lago|Monte|Palacio|Puente|Plaza|Catedral|Iglesia|Templo|Muralla|"
    r"Turm|Straße|Strasse|Palast|Brucke|Platz|Dom|Kirche|Schloss|Mauer|Tempel|Tor|Army|Warriors"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_LATIN_NOUN_AFTER = re.compile(
    rf"\b((?:{_CAP}\s+){{0,3}}{_CAP})\s+(?i:({_LATIN_PLACE_NOUNS}))\b(?:\s+(?:of|de)\s+{_CAP})?"
)
_LATIN_NOUN_BEFORE = re.compile(
    rf"\b(?i:({_LATIN_PLACE_NOUNS}))\s+(?:(?:de|del|de la|du|des|d'|von|of the|of)\s+)?"
    rf"((?:{_CAP})(?:\s+{_CAP}){{0,2}})"
)
_LATIN_GERMAN_COMPOUND = re.compile(
    r"\b([A-Z][a-zß]{2,}-?(?:turm|tempel|museum|palast|brucke|platz|kirche|schloss|mauer|see|berg|"
    r"park|straße|strasse|armee|Turm|Tempel|Museum|Palast|Brucke|Platz|Kirche|Schloss|Mauer|See|Berg|Park|Armee|"
    r"Straße|Strasse))(?![\w-])"
)
_LATIN_AFTER_TO = re.compile(
    rf"\b(?:to|visit|visiting|see|at|à|au|a|al|nach|zum|zur|zu|in)\s+(?:the\s+|la\s+|le\s+|el\s+|die\s+|der\s+|das\s+|den\s+)?"
    rf"((?:{_CAP})(?:\s+(?:of\s+|de\s+)?{_CAP}){{0,3}})"
)
_LATIN_CAPITALISED_RUN = re.compile(rf"(?<![\w'’])({_CAP}(?:\s+{_CAP})+)")
_LATIN_THE_NAME = re.compile(rf"\b(?:the|The)\s+({_CAP})(?![\w'’])")
_LATIN_LOWER_BEFORE_NOUN = re.compile(
    rf"\b((?:[a-z]+\s+){{0,2}}[a-z]+)\s+(?i:({_LATIN_PLACE_NOUNS}))\b"
)
_LATIN_NOT_PLACES = frozenset(
    """I I'm I'd I'll Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December English Chinese
    Japanese Korean French German Spanish Russian Mandarin Alipay WeChat Visa Mastercard UnionPay
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Montag Dienstag Mittwoch Donnerstag Freitag
    Samstag Sonntag Lunes Martes Miércoles Jueves Viernes Sábado Domingo Christmas Easter New Year
    Spring Festival Airport Station Hotel Metro Taxi Bus Train Line Ticket Tickets Hello Hi Please
    Thanks OK Okay Yes No How What Where When Which Who Why Is Are Do Does Can Could Would Should
    Offnungszeiten Eintritt Eintrittspreis Preis Preise Adresse Telefonnummer Anfahrt Tickets Horaires
    Prix Horario Horarios Precio Entrada Entradas Wie Wo Wann Was Ist Gibt Quel Quelle Comment Ou
    Combien Cuanto Cuanta Donde Como Cuando Welche Welcher Welches Nächster Nächste Nächsten Höhe
    Bahnhof Haltestelle Nouvel An Año Nuevo Noël Navidad Pâques Buddha Bouddha Buda Budda Großen
    Nachster Nachste Nachsten Hohe Grossen Ano Noel Paques
    """.split()
)
_CYR_PLACE_NOUNS = (
    r"башн\w*|стен\w*|храм\w*|музе\w*|улиц\w*|парк\w*|озер\w*|озёр\w*|гор[аыеу]|двор\w*|площад\w*|"
    r"монастыр\w*|мост\w*|собор\w*|дворц\w*|ворот\w*|пагод\w*|арми\w*"
)
_CYR_CAP = r"[А-ЯЁ][а-яё\-]+"
_CYR_NOUN_AFTER = re.compile(rf"((?:{_CYR_CAP}\s+){{1,3}})(?i:({_CYR_PLACE_NOUNS}))")
_CYR_NOUN_BEFORE = re.compile(
    rf"(?i:({_CYR_PLACE_NOUNS}))\s+((?:{_CYR_CAP})(?:\s+{_CYR_CAP}){{0,2}})"
)


# --------------------------------------------------------------------------- resolver


class PlaceResolver:
    """Names, aliases and misspelling indexes of a set of entries; :meth:`decide` picks the place."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.types = {entry_id: entry.type for entry_id, entry in entries.items()}
        triples = []
        for entry_id, entry in entries.items():
            names = entry.all_names()
            triples.append((entry_id, entry.type, [*names, *(plain_text(n) for n in names)]))
        self._exact = AliasTable(build_table(triples))
        self._folded_names = {
            entry_id: frozenset(k for k in (fold(n) for n in names) if len(k) >= 2)
            for entry_id, _, names in triples
        }
        self._latin: dict[str, set[str]] = {}
        self._hangul: dict[str, tuple[int, set[str]]] = {}  # jamo -> (syllables, entry ids)
        self._cjk: dict[str, set[str]] = {}
        token_owners: dict[str, set[str]] = {}
        for entry_id, _, names in triples:
            for name in names:
                self._index_name(entry_id, name, token_owners)
        # Words of Latin/Cyrillic names that name exactly one entry ("wuhou", "jiuzhaigou").
        # A word shared by a place and an event held there ("Wuhou") names the place.
        self._tokens: dict[str, str] = {}
        self._name_words = frozenset(token_owners)
        for token, owners in token_owners.items():
            places = {o for o in owners if self.types[o] not in TOPIC_TYPES}
            chosen = places or owners
            if len(chosen) == 1 and token not in _GENERIC:
                self._tokens[token] = next(iter(chosen))
        self._latin_keys = list(self._latin)
        self._cjk_keys = list(self._cjk)
        self._areas = self._area_names(entries.values())

    # ------------------------------------------------------------------ index
    def _index_name(self, entry_id: str, name: str, token_owners: dict[str, set[str]]) -> None:
        key = fold(name)
        if not key:
            return
        if all(_is_latin(c) or _is_cyrillic(c) or c.isdigit() for c in key):
            if len(key) >= 5 and key not in _GENERIC:
                self._latin.setdefault(key, set()).add(entry_id)
            for word in _proper_words(plain_text(name)):
                token_owners.setdefault(word, set()).add(entry_id)
        elif all(_is_hangul(c) for c in key):
            if len(key) >= 3:
                self._hangul.setdefault(_jamo(key), (len(key), set()))[1].add(entry_id)
        elif all(is_cjk(c) for c in key) and len(key) >= 4:
            self._cjk.setdefault(key, set()).add(entry_id)

    @staticmethod
    def _area_names(entries: Iterable[Entry]) -> frozenset[str]:
        names = {fold(a) for a in _AREAS}
        for entry in entries:
            for area in (entry.city, entry.county):
                if area is None:
                    continue
                for value in area.model_dump().values():
                    if isinstance(value, str) and value:
                        names.add(fold(value))
                        names.add(fold(re.sub(r"[市州县区縣區]$|시$|District$|County$", "", value)))
        return frozenset(n for n in names if n)

    # ------------------------------------------------------------------ named places
    def named(self, text: str) -> list[_Found]:
        """Every entry the text names, exact names first, then misspellings (best first)."""
        plain = plain_text(text)
        found = [
            _Found(m.entry_ids[0], NAMED_SCORE, m.start, m.end, m.text)
            for m in self._exact.find_all(plain)  # text order: the first place named leads
            if len(m.entry_ids) == 1
        ]
        taken = [(f.start, f.end) for f in found]
        fuzzy = [
            *self._fuzzy_latin(plain),
            *self._fuzzy_hangul(plain),
            *self._fuzzy_cjk(plain),
        ]
        fuzzy.sort(key=lambda f: (-f.score, f.start - f.end, f.start))
        for candidate in fuzzy:
            if all(candidate.end <= s or candidate.start >= e for s, e in taken):
                found.append(candidate)
                taken.append((candidate.start, candidate.end))
        return found

    def _fuzzy_latin(self, plain: str) -> list[_Found]:
        words = [(m.group().lower(), m.start(), m.end()) for m in _LATIN_WORD.finditer(plain)]
        words = [w for w in words if all(_is_latin(c) or _is_cyrillic(c) for c in w[0])]
        out: list[_Found] = []
        for i in range(len(words)):
            for n in range(1, 5):
                if i + n > len(words):
                    break
                gram = "".join(w for w, _, _ in words[i : i + n])
                start, end = words[i][1], words[i + n - 1][2]
                hit = self._match_latin(gram, single=n == 1)
                if hit is not None:
                    out.append(_Found(hit[0], hit[1], start, end, plain[start:end]))
        return out

    def _match_latin(self, gram: str, *, single: bool) -> tuple[str, float] | None:
        if single and gram in self._tokens:
            return self._tokens[gram], NAMED_SCORE
        if len(gram) < 5 or gram in _GENERIC or gram in _COMMON:
            return None
        best: tuple[str, float] | None = None
        candidates = [*self._latin_keys, *(self._tokens if single else ())]
        for key, distance, _ in process.extract(
            gram,
            candidates,
            scorer=Levenshtein.distance,
            score_cutoff=_allowed_edits(len(gram)),
            limit=5,
        ):
            allowed = _allowed_edits(min(len(key), len(gram)))
            if distance > allowed or distance == 0 and not single and key in self._tokens:
                continue
            if key[:2] != gram[:2] and len(key) < 8 or key[0] != gram[0]:
                continue
            ids = self._latin.get(key) or {self._tokens.get(key, "")} - {""}
            if len(ids) != 1:
                continue
            score = 1.0 - distance / max(len(key), len(gram))
            entry_id = next(iter(ids))
            # equally close: a place wins over a festival held there ("Кандина": Kangding, not
            # the Paoma mountain festival "в Кандине")
            if (
                best is None
                or score > best[1]
                or score == best[1]
                and self.types[best[0]] in TOPIC_TYPES
                and self.types[entry_id] not in TOPIC_TYPES
            ):
                best = (entry_id, score)
        return best

    def _fuzzy_hangul(self, plain: str) -> list[_Found]:
        """Hangul words within a few jamo of a Korean name ("주자이구" ~ "주자이거우")."""
        out: list[_Found] = []
        for match in re.finditer(r"[\uac00-\ud7af]+", plain):
            word = _strip_particle(match.group())
            for key, (syllables, ids) in self._hangul.items():
                if len(ids) != 1:
                    continue
                allowed = 2 if len(key) >= 10 else 1 if len(key) >= 6 else 0
                for size in range(max(3, syllables - 1), min(len(word), syllables + 1) + 1):
                    window = _jamo(word[:size])
                    distance = Levenshtein.distance(window, key, score_cutoff=allowed)
                    if distance > allowed:
                        continue
                    start = match.start()
                    score = 1.0 - distance / max(len(window), len(key))
                    text = plain[start : start + size]
                    out.append(_Found(next(iter(ids)), score, start, start + size, text))
        return out

    def _fuzzy_cjk(self, plain: str) -> list[_Found]:
        out: list[_Found] = []
        for match in re.finditer(r"[\u30a0-\u30ff\u3400-\u9fff\uf900-\ufaffー]+", plain):
            run = fold(match.group())
            for key in self._cjk_keys:
                if len(self._cjk[key]) != 1:
                    continue
                size = len(key)
                for start in range(0, len(run) - size + 1):
                    window = run[start : start + size]
                    diff = [i for i in range(size) if window[i] != key[i]]
                    # one wrong character, never the last (the kind of place: 山, 寺, 馆...)
                    if len(diff) == 1 and diff[0] != size - 1 and diff[0] != 0:
                        begin = match.start() + start
                        out.append(
                            _Found(
                                next(iter(self._cjk[key])),
                                1.0 - 1.0 / size,
                                begin,
                                begin + size,
                                plain[begin : begin + size],
                            )
                        )
        return out

    # ------------------------------------------------------------------ unknown places
    def unknown_mention(self, text: str, named: Sequence[_Found] = ()) -> str | None:
        """A place-like name in ``text`` that is no entry and no area we cover, else None.

        A name of two Chinese characters inside a longer place name ("黄龙" in "黄龙溪古镇") does not
        cover it. The mention is returned as written (accents kept).
        """
        plain = plain_text(text)
        original = unicodedata.normalize("NFKC", text)
        mentions = sorted(self._mentions(plain), key=lambda m: (m[0], -len(m[1])))
        if not named:  # a bare name never overrides one we know ("九寨勾门票" is 九寨沟)
            mentions += [*_zh_bare_mentions(plain), *_ja_bare_mentions(plain)]
        for start, mention in mentions:
            clean = mention.strip(" ,.;:!?'\"“”«»")
            key = fold(clean)
            if not key or key in self._areas:
                continue
            if any(fold(f.text) in key and not _extends(clean, f.text) for f in named):
                continue
            if any(not _extends(clean, f.text) for f in self.named(clean)):
                continue
            if self._only_name_words(clean):  # "Emei": a word of several entries' names
                continue
            if len(original) == len(plain):
                offset = plain.find(clean, start)
                if offset >= 0:
                    clean = original[offset : offset + len(clean)]
            return clean
        return None

    def _only_name_words(self, mention: str) -> bool:
        """Every word of a Latin/Cyrillic mention is a word of the knowledge base's names (a name
        shared by several entries, such as "Emei" for the mountain and its temples): not unknown."""
        words = [w.lower() for w in _LATIN_WORD.findall(plain_text(mention))]
        if not words or not all(all(_is_latin(c) or _is_cyrillic(c) for c in w) for w in words):
            return False
        proper = [w for w in words if w not in _GENERIC]
        return bool(proper) and all(w in self._name_words for w in proper)

    def _mentions(self, plain: str) -> Iterable[tuple[int, str]]:
        yield from _chinese_mentions(plain)
        yield from _japanese_mentions(plain)
        yield from _korean_mentions(plain)
        yield from _latin_mentions(plain)
        yield from _cyrillic_mentions(plain)

    def _overshadowed(self, text: str, named: Sequence[_Found]) -> set[str]:
        """Entries named by a generic phrase right beside a proper name of another place: in
        "la base des pandas de Bifengxia" / "Pandabasis Bifengxia" the panda base is Bifengxia's,
        not the Chengdu one."""
        plain = plain_text(text)
        out: set[str] = set()
        ordered = sorted(named, key=lambda f: f.start)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if first.entry_id == second.entry_id or self.types[first.entry_id] in TOPIC_TYPES:
                continue
            if self.types[second.entry_id] in TOPIC_TYPES:
                continue
            gap = plain[first.end : second.start].strip().lower()
            if gap not in _LINKS:
                continue
            proper = [self._distinctive(first.text), self._distinctive(second.text)]
            if proper == [True, False]:
                out.add(second.entry_id)
            elif proper == [False, True]:
                out.add(first.entry_id)
        return out

    def _distinctive(self, mention: str) -> bool:
        """The mention holds a proper name of one entry ("Bifengxia", "Бифэнся"), not only common
        words ("panda base", "Pandabasis")."""
        return any(w.lower() in self._tokens for w in _LATIN_WORD.findall(plain_text(mention)))

    def _inside_longer(self, entry_id: str, named: Sequence[_Found]) -> bool:
        """True when the NLU tagged ``entry_id`` only as part of a longer name of another entry
        found in the message (黄龙 inside a 黄龙溪古镇 entry): the longer name wins."""
        if any(f.entry_id == entry_id for f in named):
            return False
        names = self._folded_names.get(entry_id, frozenset())
        return any(
            name in fold(f.text) and len(name) < len(fold(f.text))
            for f in named
            if f.score >= NAMED_SCORE
            for name in names
        )

    # ------------------------------------------------------------------ decision
    def decide(
        self,
        text: str,
        *,
        entities: Iterable[tuple[str, str]] = (),
        previous: str | None = None,
        follow_previous: bool = True,
        search: SearchFn | None = None,
    ) -> PlaceDecision:
        """The place (or topic) the message is about; see the module docstring for the rules."""
        named = self.named(text)
        unknown = self.unknown_mention(text, named)
        if unknown is not None:  # "黄龙溪古镇" is not 黄龙
            inside = [f for f in named if f.text in unknown and _extends(unknown, f.text)]
            named = [f for f in named if f not in inside]
            part_of_unknown = {f.entry_id for f in inside} - {f.entry_id for f in named}
        else:
            part_of_unknown = set()
        shadowed = self._overshadowed(text, named)
        named = [f for f in named if f.entry_id not in shadowed]
        part_of_unknown |= shadowed
        ids = [value for kind, value in entities if kind in ("attraction", "topic")]
        ids = [
            i
            for i in ids
            if i in self.types and i not in part_of_unknown and not self._inside_longer(i, named)
        ]
        candidates = [(i, NAMED_SCORE, i) for i in ids] + [
            (f.entry_id, f.score, f.text) for f in named
        ]
        places = [c for c in candidates if self.types[c[0]] not in TOPIC_TYPES]
        topics = [c for c in candidates if self.types[c[0]] in TOPIC_TYPES]
        # A practical topic written in the message is its subject, even beside a place: "altitude
        # sickness in Jiuzhaigou", "refund for my Emei booking" (NLU tags alone do not decide it).
        spelt = [
            (f.entry_id, f.score, f.text)
            for f in named
            if self.types[f.entry_id] == "topic"
            and f.score >= NAMED_SCORE
            and f.entry_id not in PLACE_ASPECT_TOPICS
        ]
        if spelt:
            entry_id, score, mention = spelt[0]
            return PlaceDecision("topic", entry_id, mention, score, ((entry_id, score),))
        festival = [
            (f.entry_id, f.score, f.text)
            for f in named
            if self.types[f.entry_id] == "event" and f.score >= NAMED_SCORE
        ]
        if festival and _FESTIVAL_WORD.search(plain_text(text)):  # "Kangding Paoma festival, when?"
            entry_id, score, mention = festival[0]
            return PlaceDecision("topic", entry_id, mention, score, ((entry_id, score),))
        if places:
            entry_id, score, mention = places[0]
            return PlaceDecision("named", entry_id, mention, score, ((entry_id, score),))
        if unknown is not None and not topics:
            return PlaceDecision("unknown", None, unknown, 0.0)
        if topics:
            entry_id, score, mention = topics[0]
            return PlaceDecision("topic", entry_id, mention, score, ((entry_id, score),))
        if follow_previous and previous is not None and previous in self.types:
            return PlaceDecision("carried_over", previous, None, NAMED_SCORE, ((previous, 1.0),))
        hits = tuple(search(text.strip())) if search is not None and text.strip() else ()
        if hits:
            return PlaceDecision("searched", hits[0][0], None, float(hits[0][1]), hits)
        return PlaceDecision("none")


_FESTIVAL_WORD = re.compile(
    r"festival|temple fair|lantern|fête|fete|foire|\bfest\b|-fest\b|feste?s?\b|fiesta|feria|"
    r"праздник|фестивал|ярмарк|节|節|庙会|廟会|灯会|转山会|転山会|祭|축제|묘회",
    re.IGNORECASE,
)
"""A festival word: beside it, an event named in the message wins over the town it is held in."""

_LINKS = frozenset(
    {"", "de", "des", "du", "de la", "of", "of the", "von", "del", "la", "в", "на", "-"}
)
"""What may stand between two halves of one place name ("base des pandas de Bifengxia")."""

_NOT_PINYIN_NAMES = frozenset(
    "panda pandas china open change name time gate game dense bane узкий широкий "
    "palace palacio puente memoria mobile santuario".split()
)


def _proper_words(name: str) -> list[str]:
    """Words of a Latin/Cyrillic name that may name its entry on their own (lower case).

    Latin: romanised Chinese words of two or more pinyin syllables ("wuhou", "jiuzhai", "leshan");
    Cyrillic: capitalised words, not the first word of a longer name ("Ухоу" in "Храм Ухоу").
    A name with a part in brackets is two names ("Кандин (Дарцедо)": "Кандин" and "Дарцедо").
    """
    parts = [p for p in re.split(r"[()（）]", name) if p.strip()]
    if len(parts) > 1:
        return [w for part in parts for w in _proper_words(part)]
    words = _LATIN_WORD.findall(name)
    all_pinyin = all(segment(w) for w in words)
    out = []
    for index, word in enumerate(words):
        low = word.lower()
        if low in _NOT_PINYIN_NAMES:
            continue
        if all(_is_latin(c) for c in word):
            syllables = segment(low)
            if syllables and len(syllables) >= 2 and len(low) >= 4:
                if word[:1].isupper() or all_pinyin:
                    out.append(low)
        elif all(_is_cyrillic(c) for c in word) and word[:1].isupper():
            if (index > 0 or len(words) == 1) and len(low) >= 4:
                out.append(low)
    return out


def _extends(mention: str, name: str) -> bool:
    """True when a two-character Chinese ``name`` starts a longer place ``mention`` and more than a
    same-place suffix follows it ("黄龙溪古镇" and "黄龙溪" extend 黄龙; "黄龙寺" and "黄龙景区" do
    not)."""
    if len(name) > 2 or not all(_is_han(c) for c in name) or not mention.startswith(name):
        return False
    rest = mention[len(name) :]
    return bool(rest) and rest not in _ZH_SAME_PLACE


_ZH_SAME_PLACE = frozenset("景区 风景区 风景名胜区 景点 寺 庙 山 沟 古镇 古城 古街 公园".split())
"""Suffixes that name the same place as a two-character name ("黄龙景区", "黄龙寺"); any other
ending makes another place ("黄龙溪" is a river town, not 黄龙)."""


def _strip_particle(word: str) -> str:
    for particle in _KO_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _chinese_mentions(plain: str) -> Iterable[tuple[int, str]]:
    for run in re.finditer(r"[\u3400-\u9fff\uf900-\ufaff]+", plain):
        chars = run.group()
        index = 0
        while index < len(chars):
            suffix = next((s for s in _ZH_SUFFIXES if chars.startswith(s, index)), None)
            if suffix is not None and len(suffix) == 1 and chars[index : index + 2] in _ZH_WORDS:
                suffix = None  # "理塘海拔" asks the altitude of 理塘, not about a sea "理塘海"
            if suffix is None:
                index += 1
                continue
            prefix = ""
            for char in reversed(chars[max(0, index - 5) : index]):
                if char in _ZH_STOP:
                    break
                prefix = char + prefix
            mention = prefix + suffix
            strong = len(suffix) > 1 or suffix in _ZH_STRONG_SINGLE
            if (len(prefix) >= 2 or (len(prefix) == 1 and strong)) and mention not in _ZH_GENERIC:
                yield run.start() + index - len(prefix), mention
            index += len(suffix)


_ZH_LEAD = re.compile(r"^(?:请问|请|那么|那|还有|我想去|想去|我要去|要去|去|到)?")
_ZH_ASKS = re.compile(
    r"(?:的)?(?:门票|票价|多少钱|海拔|怎么去|怎么走|怎么样|在哪|在四川|在成都|几点|开门|关门|开放时间|营业时间|电话|"
    r"地址|好玩吗|值得去|值不值得|需要预约|要预约|要多久|玩几天|远吗|远不远|高吗|有多高)"
)
_ZH_NOT_NAME_CHARS = frozenset(
    "票钱时天人车站机店厕饭菜吃喝住季节月周年岁价费点门号线路口索道景区你我他她它们这那哪什么怎"
)
_ZH_NOT_NAMES = frozenset(
    """老人 小孩 孩子 儿童 学生 今天 明天 后天 周末 现在 景区 景点 高铁 地铁 公交 大巴 飞机 机场 酒店
    外国人 老年人 冬天 夏天 春天 秋天 晚上 早上 上午 下午 国庆 春节 五一 旺季 淡季 山上 山顶 缆车 附近
    周边 开车 自驾 打车 步行 骑车 熊猫 大熊猫 签证 退款 退票 投诉 支付 现金 预约 天气 温度 高原 高反""".split()
)


def _zh_bare_mentions(plain: str) -> Iterable[tuple[int, str]]:
    """A name with no place word that opens a question ("兵马俑门票多少钱", "理塘海拔多少").

    Only a run of two to four Han characters at the start of the message (after "请问", "去"...),
    straight before a question word, that is no common word, time, person or means of transport.
    """
    lead = _ZH_LEAD.match(plain)
    start = lead.end() if lead else 0
    for size in (4, 3, 2):
        name = plain[start : start + size]
        if len(name) != size or not all(_is_han(c) for c in name):
            continue
        if not _ZH_ASKS.match(plain, start + size):
            continue
        if _ZH_ASKS.match(name) or name[:2] in _ZH_WORDS:
            continue
        if name in _ZH_NOT_NAMES or any(c in _ZH_NOT_NAME_CHARS or c in _ZH_STOP for c in name):
            continue
        yield start, name
        return


_JA_BARE = re.compile(
    r"^([\u4e00-\u9fff]{2,4})(?:は|の)(?:四川|成都|入場料|料金|チケット|営業時間|開館時間|行き方|場所|住所|"
    r"標高|どこ|何時)"
)
_JA_NOT_NAMES = frozenset(
    "今日 明日 週末 子供 学生 高齢者 料金 入場料 標高 予約 天気 支払い 返金".split()
)


def _ja_bare_mentions(plain: str) -> Iterable[tuple[int, str]]:
    """A kanji name with no place word opening a Japanese question ("兵馬俑は四川にありますか")."""
    match = _JA_BARE.match(plain)
    if match and match.group(1) not in _JA_NOT_NAMES and match.group(1) not in _ZH_NOT_NAMES:
        yield 0, match.group(1)


def _japanese_mentions(plain: str) -> Iterable[tuple[int, str]]:
    if not re.search(r"[\u3040-\u30ff]", plain):
        return
    for suffix in _JA_SUFFIXES:
        pattern = (
            rf"([\u30a0-\u30ff\u3400-\u9fffー]+(?:の[\u30a0-\u30ff\u3400-\u9fffー]+)?){suffix}"
        )
        for match in re.finditer(pattern, plain):
            mention = match.group()
            if len(match.group(1)) >= 1 and mention not in _JA_GENERIC and len(mention) >= 3:
                yield match.start(), mention


def _korean_mentions(plain: str) -> Iterable[tuple[int, str]]:
    words = list(re.finditer(r"[\uac00-\ud7af]+", plain))
    for previous, match in zip([None, *words], words, strict=False):
        word = _strip_particle(match.group())
        if word in _KO_SUFFIXES and previous is not None and len(previous.group()) >= 2:
            if plain[previous.end() : match.start()].strip() == "":  # "춘시루 거리", "서호 호수"
                yield previous.start(), f"{previous.group()} {word}"
                continue
        for suffix in _KO_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2 and word not in _KO_GENERIC:
                yield match.start(), word
                break


def _latin_mentions(plain: str) -> Iterable[tuple[int, str]]:
    for pattern in (_LATIN_NOUN_AFTER, _LATIN_NOUN_BEFORE):
        for match in pattern.finditer(plain):
            words = match.group(0).split()
            if any(w[:1].isupper() and w not in _LATIN_NOT_PLACES for w in words):
                yield match.start(), _trim_latin(match.group(0))
    for match in _LATIN_GERMAN_COMPOUND.finditer(plain):
        yield match.start(), match.group(1)
    for match in _LATIN_AFTER_TO.finditer(plain):
        words = [w for w in match.group(1).split() if w not in _LATIN_NOT_PLACES]
        if words and words == match.group(1).split():
            yield match.start(1), match.group(1)
    for match in _LATIN_CAPITALISED_RUN.finditer(plain):
        words = match.group(1).split()
        while words and (words[0] in _LATIN_NOT_PLACES or words[0].lower() in _GENERIC_LEADING):
            words.pop(0)
        if len(words) >= 2 and not all(w in _LATIN_NOT_PLACES for w in words):
            yield match.start(1), " ".join(words)
    for match in _LATIN_THE_NAME.finditer(plain):
        word = match.group(1)
        if word not in _LATIN_NOT_PLACES and word.lower() not in _GENERIC | _COMMON:
            yield match.start(1), word
    for match in _LATIN_LOWER_BEFORE_NOUN.finditer(plain):
        words = match.group(1).split()
        names: list[str] = []
        for word in reversed(words):  # pinyin names right before the noun: "chunxi road"
            syllables = segment(word)
            if not syllables or len(syllables) < 2 or word in _COMMON or word in _NOT_PINYIN_NAMES:
                break
            names.insert(0, word)
        if names:
            yield match.start(1), " ".join([*names, match.group(2)])


def _trim_latin(mention: str) -> str:
    words = mention.split()
    while words and (words[0] in _LATIN_NOT_PLACES or words[0].lower() in _GENERIC_LEADING):
        words.pop(0)
    return " ".join(words)


_GENERIC_LEADING = frozenset("how what where when is are do does can the a an la le el".split())


def _cyrillic_mentions(plain: str) -> Iterable[tuple[int, str]]:
    for match in _CYR_NOUN_AFTER.finditer(plain):
        first = match.group(1).split()[0]
        if match.start() == 0 or plain[match.start() - 1] != "?":
            if first.lower() not in ("как", "где", "когда", "сколько", "что", "какой", "какая"):
                yield match.start(), match.group(0)
    for match in _CYR_NOUN_BEFORE.finditer(plain):
        yield match.start(), match.group(0)
