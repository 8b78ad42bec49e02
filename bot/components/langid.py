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
   function words). A wider lingua model (it, pt, nl, ...) lets confidently
   non-supported Latin text come out as ``"und"``.
3. ``prior`` (the session language) wins for very short or ambiguous text, and
   such guesses are flagged ``reliable=False``.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

SUPPORTED: tuple[str, ...] = ("zh", "en", "ja", "ko", "fr", "de", "es", "ru")
UNDETERMINED = "und"
LATIN_SUPPORTED: tuple[str, ...] = ("en", "fr", "de", "es")
# Unsupported Latin-script languages lingua may route to "und".
LATIN_UNSUPPORTED: tuple[str, ...] = (
    "it", "pt", "nl", "ca", "ro", "pl", "cs", "sv", "da", "nb", "fi", "hu",
    "tr", "vi", "id", "ms", "tl", "sw", "af", "la", "eo", "hr", "sq",
)


@dataclass(frozen=True)
class LanguageGuess:
    """Result of a detection.

    ``detected`` is the raw ISO 639-1 code behind an ``"und"`` answer (e.g. "it");
    it equals ``language`` for supported languages and is ignored by ``==``.
    """

    language: str  # one of SUPPORTED or "und"
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
    if (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FA1F or o == 0x3007):
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
    "THAI": "th", "ARABIC": "ar", "HEBREW": "he", "GREEK": "el", "DEVANAGARI": "hi",
    "BENGALI": "bn", "TAMIL": "ta", "TELUGU": "te", "GEORGIAN": "ka", "ARMENIAN": "hy",
    "ETHIOPIC": "am", "KHMER": "km", "LAO": "lo", "MYANMAR": "my", "SINHALA": "si",
    "GUJARATI": "gu", "GURMUKHI": "pa", "KANNADA": "kn", "MALAYALAM": "ml",
    "MONGOLIAN": "mn", "TIBETAN": "bo",
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
    "切符", "予約", "料金", "無料", "宿泊", "旅館", "両替", "改札", "弁当", "新幹線",
    "案内", "最寄", "荷物", "土産", "大丈夫", "御座", "皆様", "貴方", "郵便", "病院",
    "露天風呂", "温泉宿", "居酒屋", "出来", "下車", "乗換", "取消", "受付", "手続",
    "番線", "何時", "何処", "一番", "本日", "明日", "今日", "先生", "自分",
)
# Characters that mark Chinese (Simplified-only forms, Traditional forms Japanese
# does not use, and Chinese function words).
_ZH_MARKERS = frozenset(
    "们这么吗呢吧啊呀个还说请谢钱门贵买过进远运边东车马见长问间时华书讲话语让给认识应"
    "哪怎咱您她它嘛啦吃找几从对为没么儿吗们"
    "們這麼嗎說錢邊讓應沒啥嗎"
)
# Cyrillic letters not used in Russian (Ukrainian, Belarusian, Serbian, Macedonian...).
_NON_RU_CYRILLIC = frozenset("іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ")

# --------------------------------------------------------------------------- lexical cues

_CUES: dict[str, frozenset[str]] = {
    "en": frozenset("""hello hi hey thanks thank you please the is are what where when how
        much ticket tickets price prices open opening hours want would like could my i'm
        we our your yes okay bye goodbye morning evening sorry excuse help need visit
        from with this that there which book booking room weather today tomorrow
        and of to for it how's what's where's i'd can cheers great cool""".split()),
    "fr": frozenset("""bonjour bonsoir salut merci beaucoup oui où combien les des du une je
        vous nous c'est est-ce avec billet billets hôtel prix ouvert ouverte quelle quel
        quand comment revoir voudrais veux pouvez aujourd'hui demain s'il plaît très
        bien d'accord qu'est-ce ferme fermé chambre réserver temps et pas mon ma mes
        au aux sur dans peut-être bonne journée excusez-moi moi""".split()),
    "de": frozenset("""hallo danke bitte nein guten tag morgen abend tschüss wie viel kostet
        wo ist der das und ich wir nicht mit für eine ein einen karte karten eintritt
        öffnungszeiten zimmer buchen möchte können heute gibt es auf wiedersehen schön
        vielen dank ja gut zum zur vom im wann geöffnet wetter kann hat sind bin""".split()),
    "es": frozenset("""hola gracias por favor sí buenos buenas días tardes noches adiós dónde
        cuánto cuesta los las yo usted quiero puedo para está entrada entradas boleto
        boletos precio habitación reservar mañana hoy qué cómo cuándo muchas vale
        abierto hay tiempo del al mi muy bien perdón disculpe señor necesito""".split()),
    # non-supported languages: only distinctive words
    "it": frozenset("""ciao grazie buongiorno buonasera prego quanto costa biglietto
        biglietti vorrei sono dove posso arrivederci mille scusi perché anche della
        questo domani oggi aperto""".split()),
    "pt": frozenset("""obrigado obrigada olá bom boa onde fica custa ingresso ingressos
        você não sim quero tchau amanhã hoje quanto está aberto bilhete""".split()),
    "nl": frozenset("""dank bedankt goedemorgen hoeveel kost waar het kaartje alstublieft
        ik wil graag dag tot ziens niet een""".split()),
    "vi": frozenset("xin chào cảm ơn bao nhiêu tiền vé".split()),
    "id": frozenset("terima kasih selamat pagi berapa harga tiket saya ingin".split()),
    "tr": frozenset("merhaba teşekkürler teşekkür ederim nerede ne kadar bilet".split()),
    "pl": frozenset("dziękuję cześć dzień dobry ile kosztuje bilet gdzie jest proszę".split()),
    "sv": frozenset("tack hej hur mycket kostar biljett var finns".split()),
}
# Words shared between languages carry no lexical signal.
_SHARED = frozenset("""no hotel ticket die la le el en de a e o que un una es in is
    me te se si mi tu ma ok okay taxi bus metro panda pandas museo museum hotel""".split())
for _lang, _words in list(_CUES.items()):
    _others = set().union(*(w for l2, w in _CUES.items() if l2 != _lang))
    _CUES[_lang] = frozenset(w for w in _words if w not in _SHARED and w not in _others)
_SUPPORTED_CUE_LANGS = LATIN_SUPPORTED
_UNSUPPORTED_CUE_LANGS = tuple(l for l in _CUES if l not in LATIN_SUPPORTED)

_CHAR_CUES: dict[str, tuple[str, float]] = {
    "ß": ("de", 0.5), "ä": ("de", 0.25), "ö": ("de", 0.2), "ü": ("de", 0.2),
    "ñ": ("es", 0.5), "¿": ("es", 0.6), "¡": ("es", 0.6), "á": ("es", 0.15),
    "í": ("es", 0.12), "ó": ("es", 0.12), "ú": ("es", 0.12),
    "è": ("fr", 0.25), "ê": ("fr", 0.25), "ç": ("fr", 0.25), "à": ("fr", 0.15),
    "â": ("fr", 0.25), "î": ("fr", 0.25), "ô": ("fr", 0.2), "û": ("fr", 0.25),
    "ù": ("fr", 0.3), "œ": ("fr", 0.5), "ë": ("fr", 0.1), "ï": ("fr", 0.2),
    "é": ("fr", 0.1),
}
# Letters that rule out en/fr/de/es entirely (pt, vi, pl, cz, tr, ro, nordic ...).
_NON_SUPPORTED_LATIN_LETTERS = {
    **{c: "pt" for c in "ãõ"}, **{c: "vi" for c in "ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"},
    **{c: "pl" for c in "ąęłńśźż"}, **{c: "cs" for c in "řůěčšžťďň"},
    **{c: "tr" for c in "ğışş"}, **{c: "ro" for c in "ţţș"}, **{c: "sv" for c in "å"},
    **{c: "da" for c in "øæ"},
}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD_RE.findall(text.lower())]


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
            _DETECTORS[kind] = (
                LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
            )
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

class LanguageIdentifier:
    """Script rules + lingua + langdetect + lexical cues; see module docstring."""

    def __init__(self, use_langdetect: bool = True, short_words: int = 2) -> None:
        self.use_langdetect = use_langdetect
        self.short_words = short_words

    # public API -------------------------------------------------------------
    def detect(self, text: str, prior: str | None = None) -> LanguageGuess:
        """Detect the language of one message; ``prior`` = session language."""
        return self._detect(text, prior, None, None)

    def detect_batch(self, texts: Sequence[str]) -> list[LanguageGuess]:
        """Detect many messages (no prior); lingua runs in parallel on Latin text."""
        texts = [t or "" for t in texts]
        latin_idx = [i for i, t in enumerate(texts) if self._dominant(t)[0] == "latin"]
        sup: dict[int, dict[str, float]] = {}
        wide: dict[int, dict[str, float]] = {}
        if latin_idx:
            lt = [texts[i] for i in latin_idx]
            for i, vals in zip(latin_idx, _lingua("sup").compute_language_confidence_values_in_parallel(lt)):
                sup[i] = _conf_dict(vals)
            for i, vals in zip(latin_idx, _lingua("wide").compute_language_confidence_values_in_parallel(lt)):
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
        best = max(weights, key=weights.get)
        if best == "cjk":
            if counts.get("hangul", 0) >= max(counts.get("kana", 0), 1) and counts.get("hangul", 0) * 2 >= cjk * 0.5:
                return "hangul", counts
            if counts.get("kana", 0):
                return "kana", counts
            if counts.get("hangul", 0):
                return "hangul", counts
            return "han", counts
        return best, counts

    def _detect(self, text: str, prior: str | None,
                sup: dict[str, float] | None, wide: dict[str, float] | None) -> LanguageGuess:
        text = unicodedata.normalize("NFC", text or "")
        script, counts = self._dominant(text)
        if script == "none":
            return LanguageGuess(prior if prior in SUPPORTED else UNDETERMINED, 0.0, False, "")
        if script == "hangul":
            return LanguageGuess("ko", 0.99, True, "ko")
        if script == "kana":
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
        return self._latin(text, prior, sup, wide)

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
        return LanguageGuess("zh", 0.9 if len(han) >= 3 else 0.75, len(han) >= 3 or prior in (None, "zh"), "zh")

    def _latin(self, text: str, prior: str | None,
               sup: dict[str, float] | None, wide: dict[str, float] | None) -> LanguageGuess:
        low = text.lower()
        words = _words(text)
        n = len(words)
        short = n <= self.short_words
        # Hard evidence for non-supported Latin languages (ã, ơ, ł, ř, ...).
        foreign = [_NON_SUPPORTED_LATIN_LETTERS[c] for c in low if c in _NON_SUPPORTED_LATIN_LETTERS]
        if sup is None:
            sup = _conf_dict(_lingua("sup").compute_language_confidence_values(text))
        if wide is None:
            wide = _conf_dict(_lingua("wide").compute_language_confidence_values(text))
        ld = _langdetect_probs(text) if self.use_langdetect else {}

        cue = {l: sum(w in ws for w in words) for l, ws in _CUES.items()}
        scores: dict[str, float] = {}
        w_lingua, w_ld = (0.8, 0.1) if short else (0.6, 0.3)
        for l in LATIN_SUPPORTED:
            s = w_lingua * sup.get(l, 0.0) + w_ld * ld.get(l, 0.0)
            s += 0.35 * cue.get(l, 0) / max(n, 1) * (2.0 if short else 1.0)
            scores[l] = s
        for c in low:
            if c in _CHAR_CUES:
                l, w = _CHAR_CUES[c]
                scores[l] += w / (1.0 if short else 2.0)
        total = sum(scores.values()) or 1.0
        best = max(scores, key=scores.get)
        conf = scores[best] / total

        # Non-supported Latin language?
        w_best = max(wide, key=wide.get) if wide else best
        unsup_cue = max((cue[l] for l in _UNSUPPORTED_CUE_LANGS), default=0)
        sup_cue = max(cue[l] for l in LATIN_SUPPORTED)
        if w_best not in LATIN_SUPPORTED:
            w_sup_mass = sum(wide.get(l, 0.0) for l in LATIN_SUPPORTED)
            ld_best = max(ld, key=ld.get) if ld else w_best
            strong = (
                (foreign and not short)
                or (n >= 3 and wide[w_best] >= 0.5 and w_sup_mass <= 0.35 and ld_best not in LATIN_SUPPORTED)
                or (unsup_cue > sup_cue and (unsup_cue >= 1 and (short or unsup_cue >= 2)))
                or (foreign and short and w_sup_mass <= 0.2)
            )
            if strong:
                return LanguageGuess(UNDETERMINED, round(max(wide[w_best], 0.6), 4), True, w_best)

        # Reliability for short text.
        ld_best = max(ld, key=ld.get) if ld else None
        sup_best = max(sup, key=sup.get) if sup else best
        agree = ld_best == best and sup_best == best
        has_cue = cue.get(best, 0) > 0 or any(_CHAR_CUES.get(c, ("", 0))[0] == best and _CHAR_CUES[c][1] >= 0.25 for c in low)
        reliable = True
        if short:
            reliable = (conf >= 0.6 and (agree or has_cue)) or conf >= 0.8
            if n == 1 and len(words[0]) <= 2 and not has_cue:
                reliable = False
        if not reliable and prior in LATIN_SUPPORTED and scores.get(prior, 0) > 0.0:
            return LanguageGuess(prior, round(scores[prior] / total, 4), False, prior)
        return LanguageGuess(best, round(min(conf, 1.0), 4), reliable, best)


_DEFAULT: LanguageIdentifier | None = None


def get_identifier() -> LanguageIdentifier:
    """Shared default identifier (lingua models are loaded once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LanguageIdentifier()
    return _DEFAULT


def detect(text: str, prior: str | None = None) -> LanguageGuess:
    """Module-level convenience wrapper."""
    return get_identifier().detect(text, prior)
