// Rasa's socket.io bot messages → the widget's messages, and the pieces of a text (plain text and
// links). Nothing from the bot is ever inserted as HTML: texts become text nodes, links become
// <a> elements whose address is checked to be http(s).

import type { Button, ChatMessage } from "./session";

/** One bot_uttered payload (Rasa's SocketIOOutput) as a widget message, or null if it has nothing to show. */
export function fromBotPayload(payload: unknown, now: number): ChatMessage | null {
  if (typeof payload !== "object" || payload === null) return null;
  const data = payload as Record<string, unknown>;
  // The channel marks staff replies pushed from the console (channels/socketio_guarded.py).
  const message: ChatMessage = { from: data.from === "staff" ? "staff" : "bot", at: now };
  if (typeof data.text === "string" && data.text.trim()) message.text = data.text;
  const buttons = parseButtons(data.quick_replies ?? data.buttons);
  if (buttons.length) message.buttons = buttons;
  const attachment = data.attachment as Record<string, unknown> | undefined;
  if (attachment && attachment.type === "image") {
    const src = (attachment.payload as Record<string, unknown> | undefined)?.src;
    if (typeof src === "string" && safeUrl(src)) message.image = src;
  }
  return message.text || message.image || message.buttons ? message : null;
}

function parseButtons(value: unknown): Button[] {
  if (!Array.isArray(value)) return [];
  const buttons: Button[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const { title, payload } = item as Record<string, unknown>;
    if (typeof title === "string" && title.trim()) {
      buttons.push({ title, payload: typeof payload === "string" && payload ? payload : title });
    }
  }
  return buttons;
}

/** The address when it is an absolute http(s) URL, else null (no javascript:, data: or relative URLs). */
export function safeUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export type Piece = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

// [label](https://…) or a bare https://… address (trailing punctuation is not part of it).
const LINK = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"'「」（）()，。、]+[^\s<>"'「」（）()，。、.,;:!?])/g;

/** Splits a text into plain pieces and links. */
export function splitLinks(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const index = match.index ?? 0;
    const href = safeUrl(match[2] ?? match[3]);
    if (!href) continue;
    if (index > last) pieces.push({ kind: "text", text: text.slice(last, index) });
    pieces.push({ kind: "link", text: match[1] ?? match[3], href });
    last = index + match[0].length;
  }
  if (last < text.length) pieces.push({ kind: "text", text: text.slice(last) });
  return pieces;
}

/** A link to one of the platform's pay pages (rendered as a button-like link). */
export function isPayLink(href: string): boolean {
  try {
    return /(^|\/)pay(\/|$)/.test(new URL(href).pathname);
  } catch {
    return false;
  }
}
