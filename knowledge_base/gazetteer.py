"""Exact alias matching: which knowledge-base entry does a text name?

Names in every language, aliases, pinyin written with or without spaces and Traditional
characters all match: both the aliases and the text are folded by :func:`fold` (NFKC,
Traditional to Simplified, lower case, no spaces/hyphens/apostrophes/dots) before matching.
When several aliases occur, the longest match wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge_base.schema import Entry

# Traditional -> Simplified for characters likely in Sichuan tourism questions. Pairs "TS".
_T2S_PAIRS = """
溝沟 樂乐 貓猫 寬宽 錦锦 裡里 裏里 遺遗 黃黄 龍龙 亞亚 嶺岭 館馆 區区 園园 門门 價价 錢钱 開开 關关
時时 間间 點点 條条 東东 車车 場场 機机 飛飞 鐵铁 電电 話话 號号 碼码 預预 約约 訂订 購购 買买 賣卖
費费 遊游 覽览 觀观 聖圣 壩坝 廟庙 陽阳 陰阴 雲云 霧雾 風风 華华 國国 際际 紀纪 劉刘 備备 諸诸 將将
軍军 樓楼 臺台 鄉乡 鎮镇 縣县 廣广 漢汉 蘭兰 貴贵 陝陕 綿绵 瀘泸 寧宁 涼凉 崍崃 劍剑 閣阁 閬阆 會会
議议 書书 畫画 藝艺 術术 歷历 傳传 統统 燈灯 節节 慶庆 戲戏 劇剧 變变 臉脸 鍋锅 麵面 飯饭 鮮鲜 湯汤
頭头 熱热 氣气 溫温 濕湿 後后 來来 過过 還还 這这 個个 們们 麼么 嗎吗 幾几 從从 對对 於于 與与 為为
說说 請请 問问 應应 該该 讓让 給给 樣样 邊边 離离 遠远 兒儿 兩两 萬万 億亿 塊块 張张 歲岁 學学 齡龄
證证 殘残 優优 減减 師师 養养 獸兽 鳥鸟 魚鱼 蟲虫 馬马 無无 見见 聽听 讀读 寫写 記记 計计 劃划 選选
擇择 參参 訪访 導导 講讲 雙双 語语 譯译 線线 網网 絡络 報报 發发 現现 實实 體体 驗验 環环 護护 態态
灘滩 峽峡 壯壮 麗丽 濟济 災灾 舊旧 復复 興兴 歡欢 準准 確确 認认 頂顶 纜缆 階阶 濱滨 灣湾 島岛 陸陆
轉转 換换 達达 運运 營营 業业 務务 處处 辦办 衛卫 醫医 療疗 藥药 險险 寶宝 貝贝 紅红 綠绿 藍蓝 廬庐
長长 鳳凤 鶴鹤 孫孙 圖图 聲声 響响 鐘钟 筆笔 紙纸 硯砚 絲丝 綢绸 繡绣 銀银 銅铜 縱纵 橫横 廳厅 莊庄
闊阔 幣币 臥卧 龕龛 詩诗 蠶蚕 叢丛 魯鲁 鳧凫 屬属 擁拥 擠挤 隊队 隨随 帶带 攜携 衝冲 動动 異异 數数
據据 鏡镜 頻频 視视 燒烧 壇坛 壽寿 範范 圍围 閉闭 廂厢 雜杂 陳陈 遲迟 週周 貨货 員员 蓮莲 檔档 邊边
態态 義义 橋桥 鄧邓 賓宾 宮宫 湧涌 濤涛 綫线 雞鸡 豬猪 隻只 麼么 單单 麗丽 紋纹 樹树 葉叶 鬆松 驛驿
廠厂 歐欧 尋寻 戰战 鬥斗 鋪铺 飾饰 織织 塊块 競竞 遷迁 濕湿 滿满 團团 漁渔 劍剑 鐲镯 覺觉 夢梦 寫写
麥麦 價价 貢贡 嘎嘎 稱称 構构 顧顾 廈厦 燕燕 農农 產产 狀状 陣阵 儀仪 禮礼 節节 紀纪 傘伞 齊齐 蘇苏
楊杨 陳陈 鄭郑 趙赵 錢钱 馮冯 韓韩 蔣蒋 沈沈 謝谢 葉叶 鍾钟 鄒邹 顏颜 龐庞 羅罗 覓觅 嶽岳 峨峨 灕漓
"""
T2S: dict[int, str] = {
    ord(pair[0]): pair[1] for pair in _T2S_PAIRS.split() if len(pair) == 2 and pair[0] != pair[1]
}

_DROP = re.compile(r"[\s\-'’·・.,_/()（）]+")
MIN_CJK_LEN = 2
MIN_LATIN_LEN = 3


def to_simplified(text: str) -> str:
    """Map the Traditional characters of the table above to Simplified ones."""
    return text.translate(T2S)


def _fold_char(char: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", char)).lower()


def fold(text: str) -> str:
    """Canonical form used for alias matching."""
    return _DROP.sub("", to_simplified(unicodedata.normalize("NFKC", text)).lower())


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _is_cjk(char)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul
        or 0xF900 <= code <= 0xFAFF
    )


@dataclass(frozen=True)
class AliasMatch:
    """One alias found in a text: the entry ids it names and where (folded offsets)."""

    alias: str
    entry_ids: tuple[str, ...]
    start: int
    end: int

    @property
    def length(self) -> int:
        """Length of the folded alias."""
        return self.end - self.start


class Gazetteer:
    """Folded alias -> entry ids, matched greedily longest-first."""

    def __init__(self, aliases: dict[str, set[str]]) -> None:
        self._aliases = {alias: tuple(sorted(ids)) for alias, ids in aliases.items()}
        self._max_len = max((len(a) for a in self._aliases), default=0)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Gazetteer:
        """Collect every name and alias of every entry."""
        table: dict[str, set[str]] = {}
        for entry in entries:
            for name in entry.all_names():
                key = fold(name)
                if _long_enough(key):
                    table.setdefault(key, set()).add(entry.id)
        return cls(table)

    def __len__(self) -> int:
        return len(self._aliases)

    def find_all(self, text: str) -> list[AliasMatch]:
        """Non-overlapping matches, longest first (ties: leftmost first)."""
        folded, boundaries = _fold_with_boundaries(text)
        candidates: list[AliasMatch] = []
        for start in range(len(folded)):
            for end in range(min(len(folded), start + self._max_len), start, -1):
                ids = self._aliases.get(folded[start:end])
                if ids and boundaries[start] and boundaries[end]:
                    candidates.append(AliasMatch(folded[start:end], ids, start, end))
                    break
        candidates.sort(key=lambda m: (-m.length, m.start))
        chosen: list[AliasMatch] = []
        for match in candidates:
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return chosen

    def match(self, text: str) -> str | None:
        """Entry id named by the longest unambiguous alias in ``text``, else None."""
        for found in self.find_all(text):
            if len(found.entry_ids) == 1:
                return found.entry_ids[0]
        return None


def _long_enough(key: str) -> bool:
    if not key:
        return False
    if any(_is_cjk(c) for c in key):
        return len(key) >= MIN_CJK_LEN
    return len(key) >= MIN_LATIN_LEN


def _fold_with_boundaries(text: str) -> tuple[str, list[bool]]:
    """Folded text plus, per folded offset, whether a match may start/end there.

    A boundary lies between two folded characters unless both are Latin/Cyrillic letters or digits
    that were adjacent in the original (so "jiu zhai gou" still folds to one word but "jiuzhaigouxyz"
    does not match "jiuzhaigou").
    """
    chars: list[str] = []
    word_flags: list[bool] = []
    gap_before: list[bool] = []
    pending_gap = True
    for raw in text:
        folded = _DROP.sub("", _fold_char(raw))
        if not folded:
            pending_gap = True
            continue
        for char in folded:
            chars.append(char)
            word_flags.append(_is_word_char(char))
            gap_before.append(pending_gap)
            pending_gap = False
    boundaries = [True] * (len(chars) + 1)
    for i in range(1, len(chars)):
        boundaries[i] = not (word_flags[i - 1] and word_flags[i] and not gap_before[i])
    return "".join(chars), boundaries
