"""Explicit language choice: "please answer in German", "用日语回答", "日本語で話してください".

The rule: the session language changes only when the tourist **asks** for a language. A request is a
language name inside a request frame of one of the eight languages:

* a preposition or particle that means "in X" (``in X``, ``en X``, ``auf X``, ``по-X``/``на X``,
  ``用X``, ``X語で``, ``X로``) in a clause that also holds a request word (answer, speak, switch,
  language, ...: ``please answer in German``, ``antworte bitte auf Deutsch``, ``отвечай по-русски``);
* a verb of speaking or switching with a second-person, first-person or imperative subject before
  the name (``can you speak English?``, ``¿hablas español?``, ``说中文``, ``换成英文``, ``영어 할 줄 알아?``);
* the name alone or with "please" (``English please``, ``中文``, ``in English``, ``auf Deutsch bitte``).

Saying who you are or where you come from (``I am German``, ``我是日本人``, ``Soy español``), asking
whether something else exists in a language (``is there a Russian menu?``) or what someone else speaks
(``do guides speak Japanese?``) is not a request; neither is a negated one (``don't answer in
Chinese``, ``别说英文了``). Names of several languages in one request (``English or French?``) are
ambiguous and change nothing; of several requests in a message the last one wins ("English please,
不对，还是说中文吧"). The romanisation "hanyu" is left out: it spells both 汉语 (Chinese) and 韩语 (Korean).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from common.languages import SUPPORTED_LANGUAGES, UNDETERMINED

# Names of each language in the eight languages: regular expressions separated by spaces. Latin and
# Cyrillic names match whole words only (see _NAME); "русск" etc. are stems of every Russian form
# (русский, на русском, по-русски).
_NAMES: dict[str, str] = {
    "zh": (
        r"(?:简体|繁体|簡體|繁體)?(?:中文|汉语|漢語|普通话|普通話|华语|華語|国语|國語) 中国語 中国话 중국어 중국말 보통화 chinese "
        r"mandarin zhongwen putonghua chinois chinesisch(?:e[nm]?)? chino китайск\w*"
    ),
    "en": r"英语 英文 英語 영어 english yingyu anglais englisch(?:e[nm]?)? ingl[eé]s английск\w*",
    "ja": (
        r"日语 日文 日本語 日本语 にほんご 일본어 japanese riyu japonais japanisch(?:e[nm]?)? japon[eé]s "
        r"японск\w*"
    ),
    "ko": (
        r"韩语 韩文 韓語 韓文 朝鲜语 韓国語 한국어 한국말 한글 korean hangugeo cor[ée]en koreanisch(?:e[nm]?)? "
        r"coreano корейск\w*"
    ),
    "fr": (
        r"法语 法文 法語 フランス語 프랑스어 불어 french fran[çc]ais(?:e)? franz[öo]sisch(?:e[nm]?)? "
        r"franc[ée]s французск\w*"
    ),
    "de": r"德语 德文 德語 ドイツ語 독일어 german allemand deutsch(?:e[nm]?)? alem[aá]n немецк\w*",
    "es": (
        r"西班牙语 西班牙文 西班牙語 西语 スペイン語 스페인어 spanish espagnol spanisch(?:e[nm]?)? espa[ñn]ol "
        r"castellano испанск\w*"
    ),
    "ru": r"俄语 俄文 俄語 ロシア語 러시아어 russian russe russisch(?:e[nm]?)? ruso русск\w*",
}
# One named group per language; Latin and Cyrillic names match whole words, CJK names anywhere.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NAME = (
    "(?:"
    + "|".join(
        f"(?P<{code}>"
        + "|".join(n if _CJK.search(n) else rf"(?<!\w){n}(?!\w)" for n in names.split())
        + ")"
        for code, names in _NAMES.items()
    )
    + ")"
)

# Words that make a clause a request when it also holds a marked name ("in X", "auf X", "用X"...).
_CUES = (
    r"\b(?:answer|reply|respond|speak|talk|write|chat|communicate|continue|switch|change|explain|tell|"
    r"language|set|go back|from now on|instead)",
    r"\b(?:r[ée]pon|parl|[ée]cri|pass|chang|mett|continu|repass|reven|remett|langue|discut|expliqu|"
    r"dites|possible|dor[ée]navant|d[ée]sormais)",
    r"\b(?:antwort|sprich|sprech|schreib|wechs|umstell|stell|weiter|rede|kommunizier|zur[üu]ck|wieder|"
    r"ab jetzt|sprache|geht|gespr[äa]ch)",
    r"\b(?:resp[oó]nd|respuest|cont[eé]st|habl|escrib|camb|pas[ae]|pong|ponga|pon\b|segu|sig|vuel|volv|"
    r"continu|idioma|posible|se puede|expli|a partir de ahora|desde ahora)",
    r"(?:отвеча|ответ|говори(?:те|шь)?\b|пиш|напиш|переключ|перейд|перейти|продолж|общ|смен|поменя|"
    r"язык|давай|верн|постав|установ|можно|можете|могли бы|хочу|предпочита|удобнее|разговор|"
    r"режим|с этого момента|дальше)",
)

# "in X" and its equivalents; the name is group <code> inside {L}.
_MARKED = (
    r"\b(?:in|into|to)\s+(?:the\s+)?{L}",
    r"\b(?:en|au|à\s+l'|l'|le)\s*{L}",
    r"\b(?:auf|ins|zu|zur|zum)\s+{L}",
    r"\b(?:en|al|a|el)\s+{L}",
    r"(?:\bна\s+|\bпо[-\s]?){L}",
)

# Frames that are requests by themselves. {L} is the language name.
_FRAMES = (
    # English: you / we / I / let's + verb, or an imperative at the start of the clause.
    r"(?:\byou|\bu|\bwe|\blet'?s|\bi(?:'d|'ll)?)\s+(?:\w+\s+){0,2}?(?:speak|use|talk|understand|know|read|"
    r"write|prefer|want|need|like|have)\s+(?:in\s+|to\s+(?:speak|use|chat|talk)\s+(?:in\s+)?)?{L}{END}",
    r"^(?:please\s+|just\s+|now\s+|pls\s+)?(?:speak|use|talk|write|answer|reply|respond)\s+(?:in\s+)?{L}{END}",
    r"\b(?:switch|change|go back|turn)(?:\s+\w+){0,3}?\s+(?:to|into)\s+(?:the\s+)?{L}{END}",
    # French
    r"\b(?:vous|tu|on|je)\s+(?:ne\s+)?(?:\w+\s+)?(?:parle[sz]?|parler|pr[ée]f[èe]re)\s+(?:en\s+|l'|le\s+)?{L}",
    r"\bparle[sz]?-(?:vous|tu)\s+(?:en\s+)?{L}",
    r"^(?:parle[sz]?|r[ée]pond(?:s|ez)?|[ée]cri(?:s|vez))\s+(?:en\s+)?{L}",
    # German
    r"\b(?:sprechen|k[öo]nnen|k[öo]nnten|verstehen)\s+sie\s+(?:\w+\s+){0,2}?{L}",
    r"\b(?:sprichst|kannst|k[öo]nntest|verstehst)\s+du\s+(?:\w+\s+){0,2}?{L}",
    r"\b(?:sie|du)\s+(?:sprechen|sprichst|verstehen|verstehst)\s+(?:\w+\s+)?{L}",
    r"^(?:bitte\s+)?(?:sprich|sprecht|schreib|antworte|rede)\s+(?:\w+\s+)?{L}",
    r"\bich\s+(?:spreche|m[öo]chte|will|h[äa]tte|w[üu]rde)\s+(?:\w+\s+){0,2}?{L}",
    # Spanish
    r"(?:^|\b(?:t[úu]|usted|ustedes|puedes|puede|podr[íi]as?|podemos|quiero|yo)\s+(?:\w+\s+)?)"
    r"(?:habl(?:a|as|e|ar|o|en)|sab(?:es|e))(?:\s+(?:usted|ustedes|t[úu]))?\s+(?:en\s+)?{L}",
    r"\b(?:prefiero|ponga|pon)\s+(?:el\s+)?{L}",
    # Russian
    r"\b(?:вы|ты|я)\s+(?:\w+\s+)?(?:говорите|говоришь|говорю|знаете|знаешь|предпочитаю)\s+(?:по[-\s]?)?{L}",
    r"^(?:говори(?:те)?|пиши(?:те)?|отвечай(?:те)?)\s+{L}",
    r"\b(?:постав|верн|установ)\w*(?:\s+\w+)?\s+{L}",
    # Chinese: speak / use / switch to X.
    r"(?:^|请|請|麻烦|麻煩|你|您|能|可以|可不可以|能不能|就|都|以后|以後|接下来|接下來|我想|我要|希望|还是|還是|咱们|我们|跟我|和我|给我|給我|改|再)"
    r"\s*(?:说|講|讲|說|会说|會說|用|使用)\s*{L}(?!的)",
    r"(?:换成|換成|换到|換到|换回|換回|换|換|切换成|切換成|切换到|切換到|切换|切換|切回|改成|改回|改用|改为|改為|设置为|設置為|设为|設為|回到)\s*{L}",
    r"{L}\s*(?:回答|回复|回覆|答复|交流|对话|對話|模式)",
    # Japanese
    r"{L}\s*で(?!は|も|書かれ|の)(?:\s*(?:お願い|おねがい|答え|こたえ|話|はな|返|回答|書いて|説明|対応|いい|大丈夫|"
    r"チャット|会話|やり取り|して|ください|もらえ|くれ|ほしい|頼|たの)|[\W\s]*$)",
    r"{L}\s*(?:モード\s*)?に\s*(?:して|切り替え|切替|きりかえ|変え|かえ|変更|戻|もど|設定|する)",
    r"{L}\s*(?:しか\s*(?:できません|話せません|わかりません)|(?:は|が|を)?\s*(?:話せ(?!ない|ません|る[^\W\dかの])|"
    r"はなせ(?!ない|ません|る[^\W\dかの])|わかり(?!ません)|分かり(?!ません)|わかる|できます|しゃべれ(?!ない|ません)|"
    r"喋れ(?!ない|ません)|大丈夫|いけ))",
    # Korean
    r"{L}\s*(?:모드\s*)?(?:으로|로)(?!\s*된|\s*쓰인|\s*적힌)\s*(?:요|만)?\s*(?:해|답|대답|말|얘기|이야기|바꿔|바꾸|바꿀|변경|전환|"
    r"써|쓰|작성|대화|설명|부탁|돌려|설정|줘|주세요|할|$)",
    r"{L}\s*(?:를|을)?\s*(?:밖에|할 수 있|하실 수 있|할 줄 알|하실 줄 아|할 줄 아|돼요|되나요|돼\?|가능(?!한)|하세요\?)",
    # The language setting in any language: "language: English", "change the language to Korean".
    r"(?:language|sprache|langue|idioma|язык\w*|语言|語言|言語|언어)\s*(?:[:：]|\s(?:\w+\s+){0,3}?)\s*"
    r"(?:to\s+|auf\s+|en\s+|a\s+|на\s+|を|를|을)?{L}",
)
_END = r"(?=[\s\W]*(?:$|(?:please|pls|plz|instead|from|now|thanks?|thank|so|for|again|only|if|too|as|with|"
_END += r"language|anymore|mode|and|but|because)\b))"

# "please" and friends, for the bare form ("English please", "中文吧", "bitte auf Deutsch").
_POLITE = re.compile(
    r"\b(?:please|pls|plz|only|thanks|thank you|bitte|danke|svp|s'il (?:vous|te) pla[iî]t|merci|"
    r"por favor|gracias|language|mode|modus|modo|just|now|sprache|langue|idioma)\b|"
    r"язык|режим|пожалуйста|спасибо|语言|語言|言語|언어|模式|モード|모드|请|請|吧|谢谢|謝謝|好吗|可以吗|行吗|"
    r"お願いします|おねがい|부탁해요|부탁|해주세요",
    re.IGNORECASE,
)
_BARE_PREFIX = r"(?:in|en|auf|на|по[-\s]?|用|说|說|讲|講)?"

# A negation just before the request: "don't answer in Chinese", "不要用英语", "nicht auf Chinesisch".
_NEGATION = re.compile(
    r"(?:\b(?:not|don'?t|do not|never|no|stop|ne|pas|plus|nicht|kein|keine|nie|nunca|jam[aá]s)\b|\bне\b|不|别|別|没|沒)",
    re.IGNORECASE,
)
# Someone else speaking ("do guides speak Japanese?", "导游说中文吗", "ガイドは日本語を話せますか").
_THIRD_PARTY = re.compile(
    r"\b(?:guides?|staff|drivers?|they|he|she|people|menus?|signs?|audio|guía|guías|personal|conductor|"
    r"él|ella|ellos|ils|elle|(?<!')il|chauffeur|führer|reiseleiter|fahrer|er)\b|(?:\bгид\w*|экскурсовод\w*|"
    r"водител\w*|\bон\b|\bона\b|\bони\b)|导游|導遊|讲解员|司机|司機|工作人员|服务员|员工|景区|酒店|餐厅|菜单|"
    r"他们|他|她|朋友|妈妈|爸爸|同事|ガイド|スタッフ|運転手|係員|ドライバー|彼|가이드|직원|기사|안내원",
    re.IGNORECASE,
)
# "English or French?": several candidates, no choice.
_ALTERNATIVES = re.compile(
    r"(?:\s+(?:or|oder|ou|o|или)\s+|\s*(?:或者|或|还是|還是|か|아니면|나)\s*)",
    re.IGNORECASE,
)
# Questions that hold 不 without negating: 能不能 ("can you"), 可不可以, 要不要...
_NOT_NEGATIONS = re.compile(r"能不能|可不可以|要不要|会不会|會不會|行不行|好不好")
_CLAUSES = re.compile(r"[,.!?;，。！？；、\n]+")
# A request for a language is short; longer texts are read only this far (bounded work per message).
MAX_CHARS = 500


def _compile(template: str) -> re.Pattern[str]:
    return re.compile(template.replace("{L}", _NAME).replace("{END}", _END), re.IGNORECASE)


_MARKED_RES = [_compile(t) for t in _MARKED]
_CUE_RES = [re.compile(c, re.IGNORECASE) for c in _CUES]
_FRAME_RES = [_compile(t) for t in _FRAMES]
_NAME_RE = _compile("{L}")
_BARE_RE = _compile(rf"{_BARE_PREFIX}\s*(?:the\s+|l'|le\s+)?{{L}}")


def _code(match: re.Match[str]) -> str:
    return next(code for code in SUPPORTED_LANGUAGES if match.group(code))


def _ambiguous(clause: str) -> bool:
    """True when the clause offers languages as alternatives ("English or French?")."""
    names = list(_NAME_RE.finditer(clause))
    return any(
        _ALTERNATIVES.fullmatch(clause[a.end() : b.start()]) and _code(a) != _code(b)
        for a, b in zip(names, names[1:], strict=False)
    )


def _allowed(clause: str, start: int) -> bool:
    """No negation and no third-party subject in the clause before the request."""
    before = _NOT_NEGATIONS.sub("", clause[max(0, start - 200) : start])
    return not _NEGATION.search(before[-20:]) and not _THIRD_PARTY.search(before)


def _requests(clause: str) -> Iterator[tuple[int, str]]:
    """(position, language) of every request in one clause."""
    for pattern in _FRAME_RES:
        for match in pattern.finditer(clause):
            if _allowed(clause, match.start()):
                yield match.start(), _code(match)
    if any(cue.search(clause) for cue in _CUE_RES):
        for pattern in _MARKED_RES:
            for match in pattern.finditer(clause):
                if _allowed(clause, match.start()):
                    yield match.start(), _code(match)
    bare = _bare(clause)
    if bare is not None and bare[1]:
        yield 0, bare[0]


def _bare(text: str) -> tuple[str, bool] | None:
    """(language, said "please") when ``text`` is only a language name, "in X" and politeness."""
    core, polite = _POLITE.subn(" ", text)
    match = _BARE_RE.fullmatch(re.sub(r"[\W_]+", " ", core).strip())
    return (_code(match), polite > 0) if match else None


def requested_language(text: str) -> str | None:
    """The language the tourist asks the assistant to use, or None when the text asks for none."""
    text = text[:MAX_CHARS]
    whole = _bare(text)
    if whole is not None:
        return whole[0]
    found: list[tuple[int, str]] = []
    offset = 0
    clauses = [re.sub(r"^[\W_]+", "", c) for c in _CLAUSES.split(text)]
    for clause in filter(None, clauses):
        if _ambiguous(clause):
            return None
        found += [(offset + pos, code) for pos, code in _requests(clause)]
        offset += len(clause) + 1
    return max(found)[1] if found else None


class ActionSetLanguage(Action):
    """Switches the session language when the tourist asked for one; otherwise keeps it and says so."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Sets the ``language`` slot and locks it there (``language_locked``); the rule then
        confirms with ``utter_language_set``.

        Without a request (the intent fired on "I am German" or on an unsupported language) the slot
        keeps its value, or takes the detected language of the message when it had none, the tourist
        hears ``utter_language_kept`` in that language, and the rule's confirmation is skipped.
        """
        text = tracker.latest_message.get("text") or ""
        language = requested_language(text)
        if language is not None:  # holds until the tourist asks for another language
            return [SlotSet("language", language), SlotSet("language_locked", language)]
        current = tracker.get_slot("language_locked") or tracker.get_slot("language")
        events: list[EventType] = []
        if current is None:
            detected = tracker.latest_message.get("language")
            if detected in SUPPORTED_LANGUAGES or detected == UNDETERMINED:
                current = detected
                events.append(SlotSet("language", detected))
        kept = _response_text(domain, "utter_language_kept", current)
        if kept is not None:
            dispatcher.utter_message(text=kept)
        else:
            dispatcher.utter_message(response="utter_language_kept")
        return [*events, FollowupAction("action_listen")]


def _response_text(domain: dict[str, Any], key: str, language: str | None) -> str | None:
    """The text of ``key`` for ``language`` (its ``language_locked`` variation) in the domain Rasa sent."""
    for variation in (domain.get("responses") or {}).get(key) or []:
        conditions = variation.get("condition") or []
        if any(
            c.get("name") == "language_locked" and c.get("value") == language for c in conditions
        ):
            return variation.get("text")
    return None
