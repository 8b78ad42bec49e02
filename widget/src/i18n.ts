// Texts of the widget's own interface in the assistant's eight languages, and the message that asks
// the assistant to answer in a language (action_set_language understands these request frames).

export const LANGUAGES = ["zh", "en", "ja", "ko", "fr", "de", "es", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface UiTexts {
  title: string;
  open: string;
  close: string;
  placeholder: string;
  send: string;
  language: string;
  typing: string;
  log: string;
  image: string;
  you: string;
  assistant: string;
  staff: string;
  suggestions: string;
  reconnecting: string;
  tooLong: string;
  hint: string;
  newTab: string;
  pay: string;
  /** Conversation starters offered as quick replies before the first message. */
  starters: string[];
}

/** Name of each language in itself (what the picker shows). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  zh: "中文",
  en: "English",
  ja: "日本語",
  ko: "한국어",
  fr: "Français",
  de: "Deutsch",
  es: "Español",
  ru: "Русский",
};

/** What the widget sends when the tourist picks a language: a request in that language. */
export const LANGUAGE_REQUESTS: Record<Language, string> = {
  zh: "请用中文回答",
  en: "Please answer in English",
  ja: "日本語で話してください",
  ko: "한국어로 대답해 주세요",
  fr: "Réponds en français, s'il te plaît",
  de: "Antworte bitte auf Deutsch",
  es: "Responde en español, por favor",
  ru: "Отвечай по-русски, пожалуйста",
};

export const TEXTS: Record<Language, UiTexts> = {
  zh: {
    title: "智游天府 · 四川旅游助手",
    open: "打开聊天",
    close: "关闭聊天",
    placeholder: "请输入您的问题",
    send: "发送",
    language: "语言",
    typing: "助手正在输入…",
    log: "对话记录",
    image: "助手发送的图片",
    you: "您",
    assistant: "助手",
    staff: "工作人员",
    suggestions: "建议的回复",
    reconnecting: "正在重新连接…",
    tooLong: "每条消息最多 300 个字符",
    hint: "可以问我景点、门票、交通、天气，或请工作人员帮忙。",
    newTab: "（在新标签页打开）",
    pay: "去支付",
    starters: ["九寨沟门票多少钱？", "怎么去大熊猫基地？", "我想找人工客服"],
  },
  en: {
    title: "智游天府 · Sichuan travel assistant",
    open: "Open chat",
    close: "Close chat",
    placeholder: "Type your question",
    send: "Send",
    language: "Language",
    typing: "The assistant is typing…",
    log: "Conversation",
    image: "Image sent by the assistant",
    you: "You",
    assistant: "Assistant",
    staff: "Staff",
    suggestions: "Suggested replies",
    reconnecting: "Reconnecting…",
    tooLong: "Messages are limited to 300 characters",
    hint: "Ask me about attractions, tickets, transport and weather, or ask for a person.",
    newTab: "(opens in a new tab)",
    pay: "Pay now",
    starters: ["How much is the Jiuzhaigou ticket?", "How do I get to the Giant Panda Base?", "I would like to talk to a person"],
  },
  ja: {
    title: "智游天府 · 四川旅行アシスタント",
    open: "チャットを開く",
    close: "チャットを閉じる",
    placeholder: "質問を入力してください",
    send: "送信",
    language: "言語",
    typing: "アシスタントが入力中…",
    log: "会話",
    image: "アシスタントが送った画像",
    you: "あなた",
    assistant: "アシスタント",
    staff: "スタッフ",
    suggestions: "返信の候補",
    reconnecting: "再接続しています…",
    tooLong: "メッセージは300文字までです",
    hint: "観光地、チケット、交通、天気について聞いてください。スタッフにもつなげます。",
    newTab: "（新しいタブで開きます）",
    pay: "支払う",
    starters: ["九寨溝の入場料はいくらですか？", "パンダ基地への行き方は？", "スタッフと話したいです"],
  },
  ko: {
    title: "智游天府 · 쓰촨 여행 도우미",
    open: "채팅 열기",
    close: "채팅 닫기",
    placeholder: "질문을 입력하세요",
    send: "보내기",
    language: "언어",
    typing: "도우미가 입력 중입니다…",
    log: "대화",
    image: "도우미가 보낸 이미지",
    you: "나",
    assistant: "도우미",
    staff: "직원",
    suggestions: "추천 답장",
    reconnecting: "다시 연결하는 중…",
    tooLong: "메시지는 300자까지 보낼 수 있습니다",
    hint: "관광지, 입장권, 교통, 날씨에 대해 물어보거나 직원 연결을 요청하세요.",
    newTab: "(새 탭에서 열림)",
    pay: "결제하기",
    starters: ["주자이거우 입장료는 얼마예요?", "판다 기지는 어떻게 가요?", "상담원과 이야기하고 싶어요"],
  },
  fr: {
    title: "智游天府 · Assistant voyage du Sichuan",
    open: "Ouvrir la discussion",
    close: "Fermer la discussion",
    placeholder: "Écrivez votre question",
    send: "Envoyer",
    language: "Langue",
    typing: "L'assistant écrit…",
    log: "Conversation",
    image: "Image envoyée par l'assistant",
    you: "Vous",
    assistant: "Assistant",
    staff: "Personnel",
    suggestions: "Réponses suggérées",
    reconnecting: "Reconnexion…",
    tooLong: "Les messages sont limités à 300 caractères",
    hint: "Posez vos questions sur les sites, billets, transports et la météo, ou demandez une personne.",
    newTab: "(s'ouvre dans un nouvel onglet)",
    pay: "Payer",
    starters: ["Combien coûte le billet pour Jiuzhaigou ?", "Comment aller à la base des pandas géants ?", "Je voudrais parler à quelqu'un"],
  },
  de: {
    title: "智游天府 · Sichuan-Reiseassistent",
    open: "Chat öffnen",
    close: "Chat schließen",
    placeholder: "Ihre Frage",
    send: "Senden",
    language: "Sprache",
    typing: "Der Assistent schreibt…",
    log: "Unterhaltung",
    image: "Bild vom Assistenten",
    you: "Sie",
    assistant: "Assistent",
    staff: "Mitarbeiter",
    suggestions: "Antwortvorschläge",
    reconnecting: "Verbindung wird wiederhergestellt…",
    tooLong: "Nachrichten sind auf 300 Zeichen begrenzt",
    hint: "Fragen Sie nach Sehenswürdigkeiten, Tickets, Verkehr und Wetter oder nach einem Menschen.",
    newTab: "(öffnet in einem neuen Tab)",
    pay: "Jetzt bezahlen",
    starters: ["Was kostet der Eintritt in Jiuzhaigou?", "Wie komme ich zur Pandabasis?", "Ich möchte mit einem Menschen sprechen"],
  },
  es: {
    title: "智游天府 · Asistente de viaje de Sichuan",
    open: "Abrir el chat",
    close: "Cerrar el chat",
    placeholder: "Escriba su pregunta",
    send: "Enviar",
    language: "Idioma",
    typing: "El asistente está escribiendo…",
    log: "Conversación",
    image: "Imagen enviada por el asistente",
    you: "Usted",
    assistant: "Asistente",
    staff: "Personal",
    suggestions: "Respuestas sugeridas",
    reconnecting: "Reconectando…",
    tooLong: "Los mensajes tienen un máximo de 300 caracteres",
    hint: "Pregunte por lugares, entradas, transporte y tiempo, o pida hablar con una persona.",
    newTab: "(se abre en una pestaña nueva)",
    pay: "Pagar",
    starters: ["¿Cuánto cuesta la entrada a Jiuzhaigou?", "¿Cómo llego a la base de los pandas gigantes?", "Quiero hablar con una persona"],
  },
  ru: {
    title: "智游天府 · Помощник путешественника по Сычуани",
    open: "Открыть чат",
    close: "Закрыть чат",
    placeholder: "Введите вопрос",
    send: "Отправить",
    language: "Язык",
    typing: "Помощник печатает…",
    log: "Переписка",
    image: "Изображение от помощника",
    you: "Вы",
    assistant: "Помощник",
    staff: "Сотрудник",
    suggestions: "Варианты ответа",
    reconnecting: "Переподключение…",
    tooLong: "Сообщение не длиннее 300 символов",
    hint: "Спросите о достопримечательностях, билетах, транспорте и погоде или позовите сотрудника.",
    newTab: "(откроется в новой вкладке)",
    pay: "Оплатить",
    starters: ["Сколько стоит билет в Цзючжайгоу?", "Как добраться до базы больших панд?", "Я хочу поговорить с сотрудником"],
  },
};

/** The supported language closest to a BCP 47 tag ("ja-JP" → "ja"), else English. */
export function pickLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const base = tag.toLowerCase().split("-")[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return "en";
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
