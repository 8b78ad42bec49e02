"""Language identification for the 智游天府 assistant (no Rasa dependency).

Supported languages: zh (Simplified and Traditional), en, ja, ko, fr, de, es, ru;
everything else is reported as ``"und"``.

Method:
1. Script rules: Hangul -> ko, any kana -> ja, Han only -> zh unless the text
   carries Japanese-only kanji (shinjitai / kokuji) or typical Japanese kanji
   compounds; Cyrillic -> ru (Ukrainian/Serbian-only letters -> und); other
   scripts (Thai, Arabic, Greek, ...) -> und.
2. Latin script: lingua restricted to en/fr/de/es, combined with langdetect
   (seeded) as a second opinion and cheap lexical cues (diacritics, greetings,
   function words). For 1-2 words a unigram word-frequency prior (wordfreq's
   data files for en fr de es it pt nl, read directly; accent-insensitive
   fallback; words unknown everywhere leave lingua alone) is blended in. A wider
   lingua model (it, pt, nl, ...) and words frequent only in it/pt/nl let
   confidently non-supported Latin text come out as ``"und"``.
3. ``prior`` (the session language) wins for very short or ambiguous text, and
   such guesses are flagged ``reliable=False``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import msgpack

from common.languages import SUPPORTED_LANGUAGES, UNDETERMINED
from common.pinyin import segment

LATIN_SUPPORTED: tuple[str, ...] = ("en", "fr", "de", "es")
# Unsupported Latin-script languages lingua may route to "und".
LATIN_UNSUPPORTED: tuple[str, ...] = tuple(
    "it pt nl ca ro pl cs sv da nb fi hu tr vi id ms tl sw af hr sq".split()
)


@dataclass(frozen=True)
class LanguageGuess:
    """Result of a detection.

    ``detected`` is the raw ISO 639-1 code behind an ``"und"`` answer (e.g. "it");
    it equals ``language`` for supported languages and is ignored by ``==``.
    """

    language: str  # one of SUPPORTED_LANGUAGES or "und"
    confidence: float  # 0..1
    reliable: bool  # False for very short/ambiguous text: keep the session language
    detected: str = field(default="", compare=False)


# --------------------------------------------------------------------------- scripts


def _script_of(ch: str) -> str | None:
    """Coarse script class of one character (None for non-letters)."""
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
        if o in (0x30FB, 0x30FC):  # middle dot / prolonged sound mark: count as kana
            return "kana"
        return "kana"
    if (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
        or o == 0x3007
    ):
        return "han"
    if not ch.isalpha():
        return None
    if o < 0x0250 or 0x1E00 <= o <= 0x1EFF or 0xFF21 <= o <= 0xFF5A:
        return "latin"
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "other"
    return "other:" + name.split(" ")[0]


_OTHER_SCRIPT_ISO = {
    "THAI": "th",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "TAMIL": "ta",
    "TELUGU": "te",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "ETHIOPIC": "am",
    "KHMER": "km",
    "LAO": "lo",
    "MYANMAR": "my",
    "SINHALA": "si",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "KANNADA": "kn",
    "MALAYALAM": "ml",
    "MONGOLIAN": "mn",
    "TIBETAN": "bo",
}

# Japanese-only kanji: shinjitai and kokuji that differ from both Simplified and
# Traditional Chinese forms.
_JA_KANJI = frozenset(
    "円駅気売読楽関広発図県実辺帰変戦転鉄済経続総権歳労営栄検験険剣単銭価様沢択駆拠"
    "拡弾恵薬蔵臓厳従縦渋獣壊懐穏隠聴徳悩脳覚挙勧歓観闘黙桜亜悪圧囲塩殴仮渇巻陥寛"
    "戸込働畑峠匂枠辻栃雫凧乗剰浄庁対応圏歩渉隣郷録緑縁徴団継粋酔砕雑焼暁稲桟賛児"
    "収粛処奨証畳嬢譲醸瀬斉摂専繊捜挿巣産毎黒舗鶏掲渓戻拝涙頼齢歴暦娯伝軽仏払鉱髪"
    "抜竜滝麺駄揃噌丼拶械壱弐隷覧謡嘆漢"
)
# Typical Japanese kanji-only compounds (absent or rare in Chinese).
_JA_COMPOUNDS: tuple[str, ...] = (
    "切符",
    "予約",
    "料金",
    "無料",
    "宿泊",
    "旅館",
    "両替",
    "改札",
    "弁当",
    "新幹線",
    "案内所",
    "最寄",
    "荷物",
    "土産",
    "御座",
    "皆様",
    "貴方",
    "郵便局",
    "露天風呂",
    "居酒屋",
    "乗換",
    "受付",
    "手続",
    "番線",
    "自分",
)
# Characters that mark Chinese (Simplified-only forms, Traditional forms Japanese
# does not use, and Chinese function words).
_ZH_MARKERS = frozenset(
    "们这么吗呢吧啊呀个还说请谢钱门贵买过进远运边东车马见长问间时华书讲话语让给认识应"
    "哪怎咱您她它嘛啦吃找几从对为么儿"
    "荐馆场园乐龙锦饭丽广汉电飞铁钟卖价订预约质务员导览观开关闭营业气报单诉帮转换两样"
    "发现实线码级纪网络队宾厅层庙"
    "們這麼嗎說錢邊讓應沒啥嗎"
)
# Romanised greetings of non-Latin supported languages (whole message only).
_ROMANIZED: dict[str, str] = {
    **dict.fromkeys(
        ["nihao", "ni hao", "nin hao", "xiexie", "xie xie", "zaijian", "zai jian"], "zh"
    ),
    **dict.fromkeys(
        [
            "arigato",
            "arigatou",
            "arigatou gozaimasu",
            "arigato gozaimasu",
            "konnichiwa",
            "konbanwa",
            "ohayo",
            "ohayou",
            "ohayo gozaimasu",
            "sayonara",
            "sumimasen",
        ],
        "ja",
    ),
    **dict.fromkeys(
        ["annyeong", "annyeonghaseyo", "annyeong haseyo", "kamsahamnida", "gamsahamnida"], "ko"
    ),
    **dict.fromkeys(["spasibo", "privet", "zdravstvuyte", "do svidaniya"], "ru"),
}
# Cyrillic letters not used in Russian (Ukrainian, Belarusian, Serbian, Macedonian...).
_NON_RU_CYRILLIC = frozenset("іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ")

# --------------------------------------------------------------------------- lexical cues

_CUES_RAW: dict[str, str] = {
    "en": """the of and to is that for it are as with his they at be this have from or one had by
        but not what all were we when your can said there an each which she do how their if up other
        about out many then them these some her would make like him into time has look two more go
        see could people my than first been who its now find long down day did get come made may i
        you he me am does doesn't don't didn't isn't aren't wasn't won't can't i'm it's that's
        there's here where why whose because while until though although just only very really
        still even again ever never always often sometimes usually already yet soon today tonight
        tomorrow yesterday morning evening night week please thanks thank hello hi hey bye goodbye
        yes yeah okay sorry excuse help need want should must might price much how's what's
        where's let's we're they're you're i'll i've i'd our ticket tickets open hours book room
        weather visit cheers great cool near far cheap expensive any which thx pls plz ty btw""",
    "fr": """le les une des du au aux et est sont être avoir ai avons avez ont je il elle nous vous
        ils elles ne pas moins très bien mais où donc ni que qui quoi quel quelle quels quelles ce
        cet cette ces mon ma mes ton ta tes sa ses notre votre leur leurs dans sous avec sans pour
        chez vers depuis pendant avant après aussi encore déjà toujours jamais souvent parfois ici
        là aujourd'hui demain maintenant oui merci bonjour bonsoir salut revoir beaucoup peu trop
        comment combien pourquoi quand c'est j'ai voudrais veux peux pouvez faut fait faire aller
        allez vais va était été avait sera peut doit comme tout tous toute toutes rien quelque
        chose d'accord s'il plaît billet billets prix gare chambre ouvert fermé réserver
        qu'est-ce est-ce excusez-moi bonne journée au-revoir puis-je y-a-t-il n'est l'hôtel""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber denn weil dass
        daß ob wenn als wie wo wer was ist sind war waren bin bist sein haben hat hatte habe wird
        werden wurde kann können muss müssen soll will möchte ich du er sie es wir ihr mich mir
        dich dir ihn ihm uns euch nicht kein keine keinen nichts auch noch schon immer nie oft
        sehr viel viele mehr weniger hier dort heute morgen gestern jetzt dann bitte danke ja nein
        hallo tschüss gut mit für von zu zum zur bei nach aus über unter vor hinter zwischen durch
        gegen ohne um im am ins vom beim auf an in alles alle jeder jede jedes diese dieser dieses
        welche welcher sich gibt geht gehen kommen kommt machen macht sagen sagt wieder etwas
        kostet eintritt karte karten zimmer buchen geöffnet wetter guten tag abend wiedersehen
        vielen dank schön entschuldigung""",
    "es": """el la los las un una unos unas y o pero porque que qué quién cuál cuándo cómo dónde
        cuánto cuánta cuántos es son está están estoy estamos ser estar soy eres fue era había hay
        tiene tengo tienen hacer hace puedo puede pueden quiero quiere yo tú él ella nosotros
        ellos ellas usted ustedes me te se lo le les nos mi mis tu su sus nuestro del al con sin
        para por sobre entre hasta desde durante también muy más menos mucho muchos muchas poco
        todo todos toda todas nada algo hoy mañana ayer ahora aquí allí sí no gracias hola adiós
        buenos buenas días noches tardes favor bien vale cuesta precio entrada entradas habitación
        billete boleto este esta estos estas ese esa eso aquel donde cuando como pues ya aún
        siempre nunca reservar perdón disculpe necesito""",
    # non-supported languages: distinctive words only (used to route to "und")
    "it": """ciao grazie buongiorno buonasera prego quanto biglietto biglietti vorrei sono
        posso arrivederci scusi perché anche della questo domani oggi aperto che il gli alla
        nel sul è""",
    "pt": """obrigado obrigada olá bom boa fica custa ingresso ingressos você não quero
        tchau amanhã hoje quanto aberto bilhete tudo bem um uma quarto""",
    "nl": """dank bedankt goedemorgen hoeveel kost waar het kaartje alstublieft ik wil graag dag
        ziens niet een wel je""",
    "vi": "xin chào cảm ơn bao nhiêu tiền vé tôi muốn",
    "id": "terima kasih selamat pagi berapa harga tiket saya ingin banyak",
    "tr": "merhaba teşekkürler teşekkür ederim nerede ne kadar bilet",
    "pl": "dziękuję cześć dzień dobry ile kosztuje bilet gdzie jest proszę bardzo",
    "sv": "tack hej hur mycket kostar biljett var finns så",
}
# Words shared between supported languages carry no lexical signal.
_SHARED = frozenset(
    """no hotel ticket die la le el en de a e o que un una es in an was will also va era hay long
    so hat man war me te se si tu son sur car or on par plus dont as mais sin hier rest ok okay
    taxi bus metro panda pandas museo museum hand see""".split()
)


def _build_cues() -> dict[str, frozenset[str]]:
    raw = {lg: set(t.split()) - _SHARED for lg, t in _CUES_RAW.items()}
    cues: dict[str, frozenset[str]] = {}
    for lang, words in raw.items():
        if lang in LATIN_SUPPORTED:  # exclusive among the supported languages
            others = set().union(*(raw[o] for o in LATIN_SUPPORTED if o != lang))
        else:  # unsupported cue must not be a supported-language word
            others = set().union(*(raw[o] for o in LATIN_SUPPORTED))
        cues[lang] = frozenset(words - others)
    return cues


_CUES = _build_cues()
_UNSUPPORTED_CUE_LANGS = tuple(lg for lg in _CUES if lg not in LATIN_SUPPORTED)

_CHAR_CUES: dict[str, tuple[str, float]] = {
    "ß": ("de", 0.5),
    "ä": ("de", 0.15),
    "ö": ("de", 0.15),
    "ü": ("de", 0.15),
    "ñ": ("es", 0.4),
    "¿": ("es", 0.6),
    "¡": ("es", 0.6),
    "á": ("es", 0.1),
    "í": ("es", 0.1),
    "ó": ("es", 0.1),
    "ú": ("es", 0.1),
    "œ": ("fr", 0.5),
    "ç": ("fr", 0.15),
    "è": ("fr", 0.15),
    "ê": ("fr", 0.15),
    "â": ("fr", 0.15),
    "î": ("fr", 0.15),
    "ô": ("fr", 0.15),
    "û": ("fr", 0.15),
    "ù": ("fr", 0.2),
    "ë": ("fr", 0.1),
    "ï": ("fr", 0.1),
}
_CUE_WEIGHT = 0.5  # per exclusive function/greeting word, divided by word count
_LD_WEIGHT = 0.25  # langdetect share on text longer than `short_words`
_CAPS_WEIGHT = 0.15
# Letters that rule out en/fr/de/es entirely (pt, vi, pl, cz, tr, ro, nordic ...).
_NON_SUPPORTED_LATIN_LETTERS = {
    **{c: "pt" for c in "ãõ"},
    **{c: "vi" for c in "ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"},
    **{c: "pl" for c in "ąęłńśźż"},
    **{c: "cs" for c in "řůěčšžťďň"},
    **{c: "tr" for c in "ğışş"},
    **{c: "ro" for c in "ţțș"},
    **{c: "sv" for c in "å"},
    **{c: "da" for c in "øæ"},
}


def _normalize(text: str | None) -> str:
    """NFKC (full-width Latin -> ASCII, half-width kana -> kana) and trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD_RE.findall(text.lower())]


# --------------------------------------------------------------------------- word frequencies
#
# Unigram word-frequency prior for 1-2 word Latin text, read from the data files
# of the ``wordfreq`` package (data CC BY-SA 4.0). wordfreq's own code is never
# imported (it needs regex>=2023, which the Rasa environment cannot have): its
# ``<size>_<lang>.msgpack.gz`` files are "cBpack" lists -- a header dict, then
# buckets where bucket i holds the words of frequency 10**(-i/100), i.e. of
# Zipf value 9 - i/100. wordfreq is pinned in both environments.

FREQ_LANGS: tuple[str, ...] = LATIN_SUPPORTED + ("it", "pt", "nl")
_FREQ_MIN_ZIPF = 2.0  # large lists truncated here: coverage vs. memory
_FREQ_FLOOR = 1.0  # Zipf of a word missing from a language's list
_FOLD_PENALTY = 0.5  # accent-stripped match ("manana" ~ "mañana")
_DROP_PENALTY = 1.0  # accented letters deleted ("tambin" ~ "también")
_FREQ_TEMP = 1.0  # softmax temperature over summed Zipf values
_FREQ_WEIGHT = 0.6  # share of the frequency posterior in the short-text scores
_FREQ_UND_MASS = 0.02  # below this supported-language mass a short text may be "und"

_FREQ_LOCK = threading.Lock()
# lang -> (exact word -> centibels, folded/dropped key -> centibels + penalty); None = not loaded
_FREQ: dict[str, tuple[dict[str, int], dict[str, int]]] | None = None


def _wordfreq_data_dir() -> str:
    """``wordfreq/data`` located without importing wordfreq (its code wants a newer ``regex``)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("wordfreq")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(base, "data")
        if os.path.isdir(path):
            return path
    raise RuntimeError("wordfreq's data files are missing: install requirements/*.nodeps.txt")


def _load_cbpack(path: str) -> list[list[str]]:
    import gzip

    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    obj = msgpack.unpackb(raw, raw=False, strict_map_key=False)
    header, buckets = obj[0], obj[1:]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError(f"{path}: not a cBpack file")
    return buckets


def _fold(word: str) -> str:
    """Accents stripped: "mañana" -> "manana"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _drop(word: str) -> str:
    """Non-ASCII letters deleted: "también" -> "tambin"."""
    return "".join(c for c in word if ord(c) < 128)


def _freq_tables() -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """Load the frequency tables once per process (about a second, see module docs)."""
    import os

    global _FREQ
    with _FREQ_LOCK:
        if _FREQ is not None:
            return _FREQ
        tables: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        data_dir = _wordfreq_data_dir()
        max_cb = int(round((9 - _FREQ_MIN_ZIPF) * 100))
        fold_cb, drop_cb = int(_FOLD_PENALTY * 100), int(_DROP_PENALTY * 100)
        for lang in FREQ_LANGS:
            for size in ("large", "small"):
                path = os.path.join(data_dir, f"{size}_{lang}.msgpack.gz")
                if os.path.exists(path):
                    break
            else:
                continue
            try:
                buckets = _load_cbpack(path)
            except (OSError, ValueError, IndexError, TypeError):
                continue
            exact: dict[str, int] = {}
            folded: dict[str, int] = {}
            for cb, bucket in enumerate(buckets[: max_cb + 1]):
                for word in bucket:
                    exact.setdefault(word, cb)
                    if not word.isascii():
                        for key, pen in ((_fold(word), fold_cb), (_drop(word), drop_cb)):
                            if len(key) >= 3 and key != word:
                                folded.setdefault(key, cb + pen)  # first = most frequent
            tables[lang] = (exact, folded)
        _FREQ = tables
        return _FREQ


def _zipf(word: str, lang: str) -> float | None:
    """Zipf value of ``word`` in ``lang`` (accent-insensitive fallback), None if unknown."""
    tables = _freq_tables().get(lang)
    if not tables:
        return None
    exact, folded = tables
    key = word.casefold()
    cb = exact.get(key)
    alt = folded.get(key) if key.isascii() else None
    if alt is not None and (cb is None or alt < cb):
        cb = alt
    return None if cb is None else 9.0 - cb / 100.0


def _word_zipfs(word: str) -> dict[str, float] | None:
    zs = {lg: _zipf(word, lg) for lg in FREQ_LANGS}
    if all(z is None for z in zs.values()) and "'" in word:
        part = max(word.split("'"), key=len)  # "c'est", "l'hôtel": wordfreq splits elisions
        zs = {lg: _zipf(part, lg) for lg in FREQ_LANGS}
    if all(z is None for z in zs.values()):
        return None
    return {lg: _FREQ_FLOOR if z is None else z for lg, z in zs.items()}


def frequency_posterior(words: Sequence[str]) -> dict[str, float] | None:
    """P(lang | words) over FREQ_LANGS from unigram frequencies (uniform prior).

    Words absent from every list are skipped; None when no word is known.
    """
    import math

    totals = dict.fromkeys(FREQ_LANGS, 0.0)
    known = 0
    for w in words:
        zs = _word_zipfs(w)
        if zs is None:
            continue
        known += 1
        for lg, z in zs.items():
            totals[lg] += z
    if not known:
        return None
    top = max(totals.values())
    exp = {lg: math.exp((v - top) * math.log(10) / _FREQ_TEMP) for lg, v in totals.items()}
    s = sum(exp.values())
    return {lg: v / s for lg, v in exp.items()}


# --------------------------------------------------------------------------- detectors

_LOCK = threading.Lock()
_DETECTORS: dict[str, object] = {}


def _lingua(kind: str):  # noqa: ANN202 - lingua type
    """Lazy module-level lingua detectors: "sup" (en fr de es) and "wide"."""
    with _LOCK:
        if kind not in _DETECTORS:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            codes = LATIN_SUPPORTED if kind == "sup" else LATIN_SUPPORTED + LATIN_UNSUPPORTED
            langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
            builder = LanguageDetectorBuilder.from_languages(*langs)
            # The wide model only vetoes supported languages on longer text:
            # trigram-only low-accuracy mode keeps it fast and small.
            builder = (
                builder.with_preloaded_language_models()
                if kind == "sup"
                else builder.with_low_accuracy_mode()
            )
            _DETECTORS[kind] = builder.build()
        return _DETECTORS[kind]


def _langdetect_probs(text: str) -> dict[str, float]:
    """langdetect probabilities (seeded, deterministic); empty dict on failure."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {r.lang.split("-")[0]: float(r.prob) for r in detect_langs(text)}
    except LangDetectException:
        return {}


def _conf_dict(values) -> dict[str, float]:  # noqa: ANN001
    return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}


# --------------------------------------------------------------------------- identifier


class LanguageGuesser:
    """Script rules + lingua + langdetect + lexical cues; see module docstring."""

    def __init__(self, use_langdetect: bool = True, short_words: int = 2) -> None:
        self.use_langdetect = use_langdetect
        self.short_words = short_words

    # public API -------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the lingua models, word frequencies and langdetect now (first detection is slow)."""
        _lingua("sup")
        _lingua("wide")
        _freq_tables()
        if self.use_langdetect:
            _langdetect_probs("warm up")

    def detect(self, text: str, prior: str | None = None) -> LanguageGuess:
        """Detect the language of one message; ``prior`` = session language."""
        return self._detect(text, prior, None, None)

    def detect_batch(self, texts: Sequence[str]) -> list[LanguageGuess]:
        """Detect many messages (no prior); lingua runs in parallel on Latin text."""
        texts = [_normalize(t) for t in texts]
        latin_idx = [i for i, t in enumerate(texts) if self._dominant(t)[0] == "latin"]
        sup: dict[int, dict[str, float]] = {}
        wide: dict[int, dict[str, float]] = {}
        if latin_idx:
            lt = [texts[i] for i in latin_idx]
            for i, vals in zip(
                latin_idx,
                _lingua("sup").compute_language_confidence_values_in_parallel(lt),
                strict=False,
            ):
                sup[i] = _conf_dict(vals)
            for i, vals in zip(
                latin_idx,
                _lingua("wide").compute_language_confidence_values_in_parallel(lt),
                strict=False,
            ):
                wide[i] = _conf_dict(vals)
        return [self._detect(t, None, sup.get(i), wide.get(i)) for i, t in enumerate(texts)]

    # internals --------------------------------------------------------------
    @staticmethod
    def _dominant(text: str) -> tuple[str, dict[str, int]]:
        counts: dict[str, int] = {}
        for ch in text:
            s = _script_of(ch)
            if s:
                counts[s] = counts.get(s, 0) + 1
        if not counts:
            return "none", counts
        # CJK characters carry roughly a word each; alphabetic letters ~ 1/3.
        cjk = counts.get("han", 0) + counts.get("kana", 0) + counts.get("hangul", 0)
        weights = {"cjk": float(cjk)}
        for s, n in counts.items():
            if s not in ("han", "kana", "hangul"):
                weights[s] = n / 3.0
        best = max(weights, key=lambda k: weights[k])
        if best == "cjk":
            hangul, kana = counts.get("hangul", 0), counts.get("kana", 0)
            if hangul and hangul >= kana:
                return "hangul", counts
            return ("kana" if kana else "han"), counts
        return best, counts

    def _detect(
        self,
        text: str,
        prior: str | None,
        sup: dict[str, float] | None,
        wide: dict[str, float] | None,
    ) -> LanguageGuess:
        text = _normalize(text)
        script, counts = self._dominant(text)
        if script == "none":
            return LanguageGuess(
                prior if prior in SUPPORTED_LANGUAGES else UNDETERMINED, 0.0, False, ""
            )
        if script == "hangul":
            return LanguageGuess("ko", 0.99, True, "ko")
        if script == "kana":
            kana = [c for c in text if _script_of(c) == "kana"]
            if set(kana) == {"の"} and len(kana) == 1 and any(c in _ZH_MARKERS for c in text):
                return LanguageGuess("zh", 0.9, True, "zh")  # Chinese "X の Y" stylisation
            return LanguageGuess("ja", 0.99, True, "ja")
        if script == "han":
            return self._han(text, prior)
        if script == "cyrillic":
            if any(c in _NON_RU_CYRILLIC for c in text):
                return LanguageGuess(UNDETERMINED, 0.9, True, "uk")
            return LanguageGuess("ru", 0.99, True, "ru")
        if script.startswith("other"):
            iso = _OTHER_SCRIPT_ISO.get(script.split(":", 1)[-1], "")
            return LanguageGuess(UNDETERMINED, 0.95, True, iso)
        romanized = _ROMANIZED.get(" ".join(_words(text)))
        if romanized:  # "ni hao", "arigato": often typed out of politeness -> unreliable
            return LanguageGuess(romanized, 0.6, False, romanized)
        pinyin = self._pinyin(text)
        if pinyin is not None:
            return pinyin
        rest = _without_pinyin_names(text)
        if rest != text:  # place names confuse the detectors: "emei shan phone no" is English
            guess = self._latin(rest, prior, None, None)
            if guess.language != UNDETERMINED:
                return guess
        return self._latin(text, prior, sup, wide)

    @staticmethod
    def _pinyin(text: str) -> LanguageGuess | None:
        """Chinese written in pinyin ("jiuzhaigou menpiao duoshao qian"), else None.

        Three or more words, at least three quarters pinyin -> zh; two pinyin words with a Chinese
        function word ("menpiao duoshao") -> zh. Names alone ("Jiuzhaigou") go the usual way, which
        calls one or two words unreliable unless they are clearly a language's.
        """
        words = _words(text)
        if not words:
            return None
        chinese = [w for w in words if is_pinyin_word(w)]
        function = [w for w in chinese if w in PINYIN_FUNCTION_WORDS]
        if len(words) >= 3 and len(chinese) * 4 >= len(words) * 3:
            return LanguageGuess("zh", 0.8 if len(chinese) == len(words) else 0.7, True, "zh")
        if len(words) == 2 and len(chinese) == 2 and function:
            return LanguageGuess("zh", 0.7, True, "zh")
        return None

    @staticmethod
    def _han(text: str, prior: str | None) -> LanguageGuess:
        han = [c for c in text if _script_of(c) == "han"]
        ja = sum(c in _JA_KANJI for c in han) + sum(2 for w in _JA_COMPOUNDS if w in text)
        zh = sum(c in _ZH_MARKERS for c in han)
        if ja > zh:
            return LanguageGuess("ja", 0.9 if ja >= 2 else 0.8, len(han) > 1 or prior != "zh", "ja")
        if zh > 0:
            return LanguageGuess("zh", 0.99, True, "zh")
        # Han characters shared by zh and ja: Chinese is the default in Sichuan.
        if prior == "ja":
            return LanguageGuess("ja", 0.55, False, "ja")
        return LanguageGuess(
            "zh", 0.9 if len(han) >= 3 else 0.75, len(han) >= 3 or prior in (None, "zh"), "zh"
        )

    def _latin(
        self,
        text: str,
        prior: str | None,
        sup: dict[str, float] | None,
        wide: dict[str, float] | None,
    ) -> LanguageGuess:
        low = text.lower()
        words = _words(text)
        n = max(len(words), 1)
        short = len(words) <= self.short_words
        if sup is None:
            sup = _conf_dict(_lingua("sup").compute_language_confidence_values(text))
        if wide is None:
            wide = _conf_dict(_lingua("wide").compute_language_confidence_values(text))
        ld_cache: list[dict[str, float]] = []

        def ld() -> dict[str, float]:  # langdetect is the slow part: run it lazily
            if not ld_cache:
                ld_cache.append(_langdetect_probs(text) if self.use_langdetect else {})
            return ld_cache[0]

        def ld_best() -> str | None:
            probs = ld()
            return max(probs, key=lambda k: probs[k]) if probs else None

        cue = {lg: sum(w in ws for w in words) for lg, ws in _CUES.items()}
        # Score the supported languages: lingua first; langdetect only on longer,
        # uncertain text (it is weak on short text).
        scores = {lg: sup.get(lg, 0.0) for lg in LATIN_SUPPORTED}
        post = frequency_posterior(words) if short else None
        if post is not None:  # blend in the word-frequency prior (1-2 words)
            sup_mass = sum(post[lg] for lg in LATIN_SUPPORTED)
            alpha = _FREQ_WEIGHT * sup_mass  # mostly it/pt/nl words: lingua decides
            ling_total = sum(scores.values()) or 1.0
            scores = {
                lg: (1 - alpha) * v / ling_total + alpha * post[lg] / sup_mass
                for lg, v in scores.items()
            }
        if not short and max(scores.values(), default=0.0) < 0.9:
            ld_total = sum(ld().get(lg, 0.0) for lg in LATIN_SUPPORTED)
            if ld_total > 0:
                scores = {
                    lg: (1 - _LD_WEIGHT) * v + _LD_WEIGHT * ld().get(lg, 0.0) / ld_total
                    for lg, v in scores.items()
                }
        for lg in LATIN_SUPPORTED:
            scores[lg] += _CUE_WEIGHT * cue[lg] / n
        char_hits = {c for c in low if c in _CHAR_CUES}
        for c in char_hits:
            lg, w = _CHAR_CUES[c]
            scores[lg] += w if short else w / 2
        if short:  # German capitalises nouns (mid-text capitals or a lone noun)
            tokens = text.split()
            caps = [t[:1].isupper() and t[1:].isalpha() and t[1:].islower() for t in tokens]
            bump = (
                _CAPS_WEIGHT if len(tokens) == 1 and caps[0] else _CAPS_WEIGHT * sum(caps[1:]) / n
            )
            scores["de"] += bump
        total = sum(scores.values()) or 1.0
        best = max(scores, key=lambda k: scores[k])
        conf = scores[best] / total

        und = self._unsupported(words, low, short, wide, ld_best, cue, post)
        if und is not None:
            return und

        has_cue = cue[best] > 0 or any(
            _CHAR_CUES[c][0] == best and _CHAR_CUES[c][1] >= 0.4 for c in char_hits
        )
        reliable = True
        if short:
            reliable = (
                conf >= 0.8 or (has_cue and conf >= 0.45) or (conf >= 0.6 and ld_best() == best)
            )
            if len(words) == 1 and len(words[0]) <= 2 and not has_cue:
                reliable = False
        if not reliable and prior in SUPPORTED_LANGUAGES and prior != best:
            # ambiguous short Latin text ("ok", "hotel", "taxi"): keep the session language
            return LanguageGuess(prior, round(scores.get(prior, 0.0) / total, 4), False, prior)
        return LanguageGuess(best, round(min(conf, 1.0), 4), reliable, best)

    @staticmethod
    def _unsupported(
        words: list[str],
        low: str,
        short: bool,
        wide: dict[str, float],
        ld_best: Callable[[], str | None],
        cue: dict[str, int],
        post: dict[str, float] | None = None,
    ) -> LanguageGuess | None:
        """``und`` guess for confidently non-supported Latin text, else None."""
        w_best = max(wide, key=lambda k: wide[k]) if wide else UNDETERMINED
        unsup_cue = max(cue[lg] for lg in _UNSUPPORTED_CUE_LANGS)
        sup_cue = max(cue[lg] for lg in LATIN_SUPPORTED)
        foreign = [
            _NON_SUPPORTED_LATIN_LETTERS[c] for c in low if c in _NON_SUPPORTED_LATIN_LETTERS
        ]
        if unsup_cue > sup_cue and (short or unsup_cue >= 2):
            # distinctive greetings / function words of e.g. it, pt, nl, tr
            code = max(_UNSUPPORTED_CUE_LANGS, key=lambda lg: (cue[lg], wide.get(lg, 0.0)))
            return LanguageGuess(UNDETERMINED, 0.8 if unsup_cue >= 2 else 0.7, True, code)
        if foreign and sup_cue == 0:
            # letters absent from en/fr/de/es (ã ơ ł ř ş å ø ...)
            code = w_best if w_best not in LATIN_SUPPORTED else max(set(foreign), key=foreign.count)
            return LanguageGuess(UNDETERMINED, 0.8, True, code)
        if (
            post is not None
            and sum(post[lg] for lg in LATIN_SUPPORTED) < _FREQ_UND_MASS
            and sup_cue == 0
            and w_best not in LATIN_SUPPORTED
            and wide.get(w_best, 0.0) >= 0.5
        ):  # 1-2 words frequent in it/pt/nl only, and lingua agrees
            code = max(post, key=lambda k: post[k])
            return LanguageGuess(UNDETERMINED, 0.7, True, code)
        if (
            len(words) >= 3
            and w_best not in LATIN_SUPPORTED
            and wide.get(w_best, 0.0) >= 0.5
            and sum(wide.get(lg, 0.0) for lg in LATIN_SUPPORTED) <= 0.35
            and ld_best() == w_best  # both detectors agree on the same other language
            and sup_cue * 3 < len(words)
        ):
            return LanguageGuess(UNDETERMINED, round(max(wide[w_best], 0.6), 4), True, w_best)
        return None


# --------------------------------------------------------------------------- pinyin

_PINYIN_TONE_LETTERS = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü")
# A pinyin-shaped word this frequent (Zipf) in a Latin language is that language's word.
_PINYIN_COMMON_ZIPF = 3.6
PINYIN_FUNCTION_WORDS = frozenset(
    """ni nimen women tamen zai qu shi meiyou yao xiang zenme zenmeyang duoshao nali nar shenme
    jidian kaimen guanmen menpiao piao qian kuai xie xiexie keyi haowan tuijian yuyue dizhi dianhua
    zuo gongjiao ditie chuzuche gaotie huoche fandian jiudian lvyou jingdian shijian jiage haishi
    zhege nage qing wen qingwen ma ne""".split()
)
"""Chinese words that, written in pinyin, mark the message as Chinese (pinyin-shaped place names are
counted too, when no Latin language uses them often)."""


def is_pinyin_word(word: str) -> bool:
    """A pinyin word that is Chinese here: a function word, or pinyin no Latin language uses often."""
    low = word.lower()
    if not all(c.isascii() or c in _PINYIN_TONE_LETTERS for c in low) or segment(low) is None:
        return False
    if low in PINYIN_FUNCTION_WORDS:
        return True
    zipfs = [z for z in (_zipf(low, lg) for lg in FREQ_LANGS) if z is not None]
    return max(zipfs, default=0.0) < _PINYIN_COMMON_ZIPF


def _without_pinyin_names(text: str) -> str:
    """``text`` without pinyin names ("Jiuzhaigou", "emei shan") when other words remain."""
    kept = [
        token
        for token in text.split()
        if not (
            (words := _words(token))
            and all(is_pinyin_word(w) and w not in PINYIN_FUNCTION_WORDS for w in words)
        )
    ]
    return " ".join(kept) if _words(" ".join(kept)) else text


_DEFAULT: LanguageGuesser | None = None


def get_guesser() -> LanguageGuesser:
    """Shared default identifier (lingua models are loaded once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LanguageGuesser()
    return _DEFAULT


def detect(text: str, prior: str | None = None) -> LanguageGuess:
    """Module-level convenience wrapper."""
    return get_guesser().detect(text, prior)
