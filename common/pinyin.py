"""Hanyu Pinyin syllables: is a Latin word written pinyin (with or without spaces, tones or tone digits)?

Standard-library only: the language identifier (Rasa environment) and the knowledge base's place
resolution (application environment) both import it. A word is pinyin when it splits entirely into
valid syllables ("jiuzhaigou" = jiu·zhai·gou, "menpiao" = men·piao); tone marks ("jiǔzhàigōu") and
tone digits ("jiu3zhai4gou1") are removed first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combinations that exist in Mandarin (initial + final); a generous but bounded set.
_RAW_SYLLABLES = """
a ai an ang ao e ei en eng er o ou
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
wa wai wan wang wei wen weng wo wu
"""
SYLLABLES: frozenset[str] = frozenset(_RAW_SYLLABLES.split())
_MAX_LEN = max(len(s) for s in SYLLABLES)
_TONE_DIGITS = re.compile(r"(?<=[a-z])[1-5](?=[a-z]|$)")


def strip_tones(word: str) -> str:
    """Lower case, tone marks and tone digits removed, ü written v: "Lǜ3" -> "lv"."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("u:", "v"))
    decomposed = decomposed.replace("u\u0308", "v")  # ü with or without a tone mark
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _TONE_DIGITS.sub("", bare)


@lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...] | None:
    """The word split into pinyin syllables (fewest syllables first), or None when it does not split.

    An apostrophe separates syllables ("xi'an"); tone marks and digits are ignored.
    """
    parts: list[str] = []
    for piece in strip_tones(word).replace("’", "'").split("'"):
        if not piece:
            continue
        found = _segment(piece)
        if found is None:
            return None
        parts.extend(found)
    return tuple(parts) if parts else None


def _segment(word: str) -> tuple[str, ...] | None:
    if not word.isascii() or not word.isalpha():
        return None
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _MAX_LEN), end):
            prefix = best[start]
            if prefix is None or word[start:end] not in SYLLABLES:
                continue
            candidate = (*prefix, word[start:end])
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[len(word)]


def is_pinyin(word: str) -> bool:
    """True when ``word`` is one or more pinyin syllables written together."""
    return segment(word) is not None
