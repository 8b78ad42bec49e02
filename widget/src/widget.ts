// The chat widget: launcher button, dialog panel with language picker, message log (live region),
// typing indicator and input; talks to Rasa's socket.io channel, which also pushes staff replies
// from the console ("from": "staff"). All state that must survive a reload lives in SessionState (localStorage).

import { io, type Socket } from "socket.io-client";
import { LANGUAGE_NAMES, LANGUAGE_REQUESTS, LANGUAGES, TEXTS, type Language, type UiTexts } from "./i18n";
import { fromBotPayload } from "./messages";
import { el, renderMessage } from "./render";
import { saveSession, type Button, type ChatMessage, type SessionState } from "./session";
import { CSS } from "./styles";

export const MAX_MESSAGE_CHARS = 300;
const TYPING_TIMEOUT_MS = 20000;

export interface WidgetConfig {
  rasaUrl: string;
  socketPath: string;
  platformUrl: string;
  language: Language;
  startOpen: boolean;
}

export class ChatWidget {
  private readonly shadow: ShadowRoot;
  private readonly root = el("div", "tw-root");
  private readonly launcher = el("button", "tw-launcher");
  private readonly panel = el("section", "tw-panel");
  private readonly title = el("h2", "tw-title");
  private readonly langLabel = el("label", "tw-lang");
  private readonly langText = el("span");
  private readonly picker = el("select");
  private readonly closeButton = el("button", "tw-close", "×");
  private readonly status = el("div", "tw-status");
  private readonly log = el("ol", "tw-log");
  private readonly hint = el("p", "tw-hint");
  private readonly starters = el("div", "tw-replies tw-starters");
  private readonly typing = el("div", "tw-typing");
  private readonly form = el("form", "tw-form");
  private readonly inputLabel = el("label", "tw-sr");
  private readonly input = el("textarea", "tw-input");
  private readonly sendButton = el("button", "tw-send");
  private socket: Socket | null = null;
  private typingTimer: number | undefined;
  private language: Language;

  constructor(
    host: HTMLElement,
    private readonly config: WidgetConfig,
    private readonly state: SessionState,
    private readonly storage: Storage | null,
  ) {
    this.language = state.language ?? config.language;
    this.shadow = host.attachShadow({ mode: "open" });
    const style = el("style");
    style.textContent = CSS;
    this.shadow.append(style, this.root);
    this.build();
    this.applyTexts();
    for (const message of state.history) this.append(message, false);
    // Only messages added from now on are announced (history is not read out again on reload).
    this.log.setAttribute("aria-live", "polite");
    this.setOpen(config.startOpen, false);
  }

  /** Connects to Rasa's socket.io channel. */
  start(): void {
    // HTTP long-polling only: Rasa 3.6's Sanic closes Engine.IO WebSockets right after opening
    // them (channels/socketio_guarded.py), and polling passes every proxy.
    const socket = io(this.config.rasaUrl, {
      path: this.config.socketPath,
      transports: ["polling"],
      upgrade: false,
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", () => {
      // The channel derives the session id from the secret (common/widget_session.py).
      socket.emit("session_request", { secret: this.state.secret });
    });
    socket.on("session_confirm", () => this.setStatus(""));
    socket.on("disconnect", () => this.setStatus(this.texts.reconnecting));
    socket.on("connect_error", () => this.setStatus(this.texts.reconnecting));
    socket.on("bot_uttered", (payload: unknown) => this.receive(payload));
    this.socket = socket;
  }

  private get texts(): UiTexts {
    return TEXTS[this.language];
  }

  private build(): void {
    this.launcher.type = "button";
    this.launcher.setAttribute("aria-haspopup", "dialog");
    this.launcher.addEventListener("click", () => this.setOpen(true, true));

    this.panel.setAttribute("role", "dialog");
    this.panel.setAttribute("aria-modal", "false");
    this.title.id = "tw-title";
    this.panel.setAttribute("aria-labelledby", "tw-title");
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.setOpen(false, true);
      }
    });

    for (const code of LANGUAGES) {
      const option = el("option", undefined, LANGUAGE_NAMES[code]);
      option.value = code;
      option.lang = code;
      this.picker.append(option);
    }
    this.picker.value = this.language;
    this.picker.addEventListener("change", () => this.chooseLanguage(this.picker.value as Language));
    this.langLabel.append(this.langText, this.picker);

    this.closeButton.type = "button";
    this.closeButton.addEventListener("click", () => this.setOpen(false, true));
    const header = el("div", "tw-header");
    header.append(this.title, this.langLabel, this.closeButton);

    this.status.setAttribute("role", "status");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-relevant", "additions");
    this.log.tabIndex = 0; // scrollable with the keyboard
    this.typing.setAttribute("role", "status");
    this.typing.setAttribute("aria-live", "polite");

    this.input.id = "tw-input";
    this.inputLabel.htmlFor = "tw-input";
    this.input.rows = 1;
    this.input.maxLength = MAX_MESSAGE_CHARS;
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.sendButton.type = "submit";
    this.form.append(this.inputLabel, this.input, this.sendButton);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      this.send(text, text);
    });

    this.starters.setAttribute("role", "group");
    const intro = el("div", "tw-intro");
    intro.append(this.hint, this.starters);
    this.panel.append(header, this.status, intro, this.log, this.typing, this.form);
    this.root.append(this.launcher, this.panel);
  }

  /** Writes every interface text in the current language. */
  private applyTexts(): void {
    const t = this.texts;
    this.root.lang = this.language;
    this.launcher.textContent = t.open;
    this.title.textContent = t.title;
    this.langText.textContent = t.language;
    this.closeButton.setAttribute("aria-label", t.close);
    this.log.setAttribute("aria-label", t.log);
    this.hint.textContent = t.hint;
    this.starters.setAttribute("aria-label", t.suggestions);
    this.starters.replaceChildren(
      ...t.starters.map((text) => {
        const button = el("button", "tw-reply", text);
        button.type = "button";
        button.addEventListener("click", () => {
          this.send(text, text);
          this.input.focus();
        });
        return button;
      }),
    );
    this.hint.hidden = this.starters.hidden = this.state.history.length > 0;
    this.inputLabel.textContent = t.placeholder;
    this.input.placeholder = t.placeholder;
    this.input.title = t.tooLong;
    this.sendButton.textContent = t.send;
    if (this.status.textContent) this.status.textContent = t.reconnecting;
  }

  private setOpen(open: boolean, moveFocus: boolean): void {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (!moveFocus) return;
    if (open) {
      this.input.focus();
      this.scrollToEnd();
    } else {
      this.launcher.focus();
    }
  }

  private setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  private chooseLanguage(language: Language): void {
    this.language = language;
    this.state.language = language;
    this.applyTexts();
    this.send(LANGUAGE_REQUESTS[language], LANGUAGE_REQUESTS[language]);
  }

  /** Shows ``shown`` as the tourist's message and sends ``payload`` to Rasa. */
  private send(shown: string, payload: string): void {
    this.clearReplies();
    this.record({ from: "user", text: shown, at: Date.now() });
    this.socket?.emit("user_uttered", {
      message: payload.slice(0, MAX_MESSAGE_CHARS),
      session_id: this.state.sessionId,
    });
    this.setTyping(true);
  }

  private receive(payload: unknown): void {
    const message = fromBotPayload(payload, Date.now());
    this.setTyping(false);
    if (message) this.record(message);
  }

  private record(message: ChatMessage): void {
    this.state.history.push(message);
    saveSession(this.storage, this.state);
    this.hint.hidden = this.starters.hidden = true;
    this.append(message, true);
  }

  private append(message: ChatMessage, live: boolean): void {
    const onReply = (button: Button, group: HTMLElement): void => {
      group.remove();
      this.send(button.title, button.payload);
      this.input.focus();
    };
    this.log.append(renderMessage(message, this.texts, onReply));
    if (live) this.scrollToEnd();
  }

  /** Quick replies answer the last question only: older ones go when the tourist says anything. */
  private clearReplies(): void {
    for (const group of Array.from(this.log.querySelectorAll(".tw-replies"))) group.remove();
    for (const message of this.state.history) delete message.buttons;
  }

  private setTyping(on: boolean): void {
    window.clearTimeout(this.typingTimer);
    this.typing.replaceChildren();
    if (!on) return;
    const dots = el("span", "tw-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el("span"), el("span"), el("span"));
    this.typing.append(dots, el("span", "tw-sr", this.texts.typing));
    this.typingTimer = window.setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS);
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
