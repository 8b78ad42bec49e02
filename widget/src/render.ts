// DOM of one message: a labelled bubble with text (links as <a>), an image, quick-reply buttons.

import type { UiTexts } from "./i18n";
import { isPayLink, splitLinks } from "./messages";
import type { Button, ChatMessage } from "./session";

/** Creates an element with a class and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function textNode(text: string, t: UiTexts): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const piece of splitLinks(text)) {
    if (piece.kind === "text") {
      fragment.append(piece.text);
      continue;
    }
    const link = el("a", isPayLink(piece.href) ? "tw-link tw-pay" : "tw-link");
    link.href = piece.href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    const isBare = piece.text === piece.href || piece.text === decodeURI(piece.href);
    link.textContent = isPayLink(piece.href) && isBare ? t.pay : piece.text;
    const hidden = el("span", "tw-sr", " " + t.newTab);
    link.append(hidden);
    fragment.append(link);
  }
  return fragment;
}

/** The list item of ``message``; ``onReply`` is called when one of its quick replies is chosen. */
export function renderMessage(
  message: ChatMessage,
  t: UiTexts,
  onReply: ((button: Button, group: HTMLElement) => void) | null,
): HTMLLIElement {
  const item = el("li", `tw-msg tw-${message.from}`);
  const who = message.from === "user" ? t.you : message.from === "staff" ? t.staff : t.assistant;
  item.append(el("span", "tw-sr", who + ": "));
  if (message.from === "staff") item.append(el("span", "tw-badge", t.staff));
  if (message.text) {
    const bubble = el("p", "tw-text");
    bubble.append(textNode(message.text, t));
    item.append(bubble);
  }
  if (message.image) {
    const img = el("img", "tw-image");
    img.src = message.image;
    img.alt = t.image;
    img.loading = "lazy";
    item.append(img);
  }
  if (message.buttons?.length && onReply) {
    const group = el("div", "tw-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t.suggestions);
    for (const button of message.buttons) {
      const node = el("button", "tw-reply", button.title);
      node.type = "button";
      node.addEventListener("click", () => onReply(button, group));
      group.append(node);
    }
    item.append(group);
  }
  return item;
}
