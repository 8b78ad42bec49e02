// Staff replies: the platform keeps, per conversation, the messages staff wrote from the console.
// The widget asks for the ones after its cursor, authenticated by its session secret (the platform
// derives the conversation from the secret, so nobody can read another tourist's messages).

export interface StaffMessage {
  id: number;
  text: string;
}

export interface OutboxPage {
  messages: StaffMessage[];
  cursor: number;
}

/** Fetches staff messages newer than ``after``; null when the platform cannot be reached. */
export async function fetchOutbox(
  platform: string,
  secret: string,
  after: number,
): Promise<OutboxPage | null> {
  try {
    const response = await fetch(`${platform}/widget/api/messages?after=${after}`, {
      headers: { Authorization: `Bearer ${secret}` },
      credentials: "omit",
      cache: "no-store",
    });
    if (!response.ok) return null;
    const data = (await response.json()) as OutboxPage;
    if (!Array.isArray(data.messages) || typeof data.cursor !== "number") return null;
    return data;
  } catch {
    return null;
  }
}

/** Polls every ``intervalMs`` while the page is visible (slower when hidden); returns a stop function. */
export function pollOutbox(
  intervalMs: number,
  poll: () => Promise<void>,
): () => void {
  let timer: number | undefined;
  let stopped = false;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    await poll();
    if (stopped) return;
    const delay = document.visibilityState === "visible" ? intervalMs : intervalMs * 6;
    timer = window.setTimeout(tick, delay);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) window.clearTimeout(timer);
  };
}
