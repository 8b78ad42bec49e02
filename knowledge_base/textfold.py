"""Text folding shared by every alias matcher (knowledge-base retriever and the Rasa gazetteer).

Dependency-free on purpose: the Rasa environment (pydantic 1) imports it as well as the application
environment. Folding applies NFKC, maps Traditional characters common in Sichuan tourism questions to
Simplified ones, lower-cases, and drops spaces, hyphens, apostrophes and dots, so "jiu zhai gou",
"Jiuzhaigou" and "九寨溝" fold to the same key.
"""

from __future__ import annotations

import re
import unicodedata

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

_DROP = re.compile(r"[\s\-'’·・.,_/()（）‐‑–—]+")
MIN_CJK_LEN = 2
MIN_LATIN_LEN = 3


def to_simplified(text: str) -> str:
    """Map the Traditional characters of the table above to Simplified ones."""
    return text.translate(T2S)


def fold_char(char: str) -> str:
    """Folded form of one character (may be empty or several characters)."""
    return _DROP.sub("", to_simplified(unicodedata.normalize("NFKC", char)).lower())


def fold(text: str) -> str:
    """Canonical form used for alias matching."""
    return _DROP.sub("", to_simplified(unicodedata.normalize("NFKC", text)).lower())
