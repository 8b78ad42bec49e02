// The conversation kept in the browser: an unguessable secret (sent only to Rasa's socket.io
// channel, which derives the session id from it), that session id, the chosen language and the message history, so a reload or a reconnect
// continues the same conversation and shows what was said before.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { isLanguage, type Language } from "./i18n";

export const HISTORY_LIMIT = 200;
const STORAGE_KEY = "tianfu-widget:v1";

export interface Button {
  title: string;
  payload: string;
}

export interface ChatMessage {
  from: "user" | "bot" | "staff";
  text?: string;
  image?: string;
  buttons?: Button[];
  at: number;
}

export interface SessionState {
  /** 32 random bytes, hex. Only this browser and Rasa's socket.io channel ever see it. */
  secret: string;
  /** Rasa's sender id: derived from the secret, so knowing it does not reveal the secret. */
  sessionId: string;
  language: Language | null;
  history: ChatMessage[];
}

/** The Rasa sender id of a widget secret: "web-" + the first 32 hex digits of SHA-256. */
export function sessionIdFor(secret: string): string {
  return "web-" + bytesToHex(sha256(utf8ToBytes("tianfu-widget-session:" + secret))).slice(0, 32);
}

function newSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
}

function fresh(): SessionState {
  const secret = newSecret();
  return { secret, sessionId: sessionIdFor(secret), language: null, history: [] };
}

function validMessage(value: unknown): value is ChatMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (m.from === "user" || m.from === "bot" || m.from === "staff") && typeof m.at === "number";
}

/** The stored session, or a new one when there is none or it is unreadable. */
export function loadSession(storage: Storage | null): SessionState {
  if (!storage) return fresh();
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return fresh();
    const data = JSON.parse(raw) as Record<string, unknown>;
    if (typeof data.secret !== "string" || !/^[0-9a-f]{64}$/.test(data.secret)) return fresh();
    const history = Array.isArray(data.history) ? data.history.filter(validMessage) : [];
    return {
      secret: data.secret,
      sessionId: sessionIdFor(data.secret),
      language: isLanguage(data.language) ? data.language : null,
      history: history.slice(-HISTORY_LIMIT),
    };
  } catch {
    return fresh();
  }
}

/** Writes the session back (history capped); storage errors (quota, private mode) are ignored. */
export function saveSession(storage: Storage | null, state: SessionState): void {
  if (!storage) return;
  state.history = state.history.slice(-HISTORY_LIMIT);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    /* the conversation still works, it just will not survive a reload */
  }
}

/** localStorage when the page may use it, else null. */
export function browserStorage(): Storage | null {
  try {
    const s = window.localStorage;
    s.getItem(STORAGE_KEY);
    return s;
  } catch {
    return null;
  }
}
