// Entry point: <script src=".../widget/widget.js" data-rasa="http://127.0.0.1:5005"></script>
// Options (data-* attributes of that script tag):
//   data-rasa      Rasa server base URL (default: the script's host on port 5005)
//   data-platform  platform API base URL for staff replies (default: the script's origin)
//   data-lang      interface language before the tourist picks one (default: the browser's)
//   data-open      "true" to show the chat panel open on page load
//   data-socket-path  socket.io path on the Rasa server (default /socket.io/)

import { isLanguage, pickLanguage } from "./i18n";
import { browserStorage, loadSession } from "./session";
import { ChatWidget, type WidgetConfig } from "./widget";

function readConfig(script: HTMLScriptElement | null): WidgetConfig {
  const scriptUrl = new URL(script?.src || window.location.href, window.location.href);
  const data = script?.dataset ?? {};
  const fallbackRasa = `${scriptUrl.protocol}//${scriptUrl.hostname}:5005`;
  const lang = data.lang;
  return {
    rasaUrl: (data.rasa || fallbackRasa).replace(/\/+$/, ""),
    socketPath: data.socketPath || "/socket.io/",
    platformUrl: (data.platform || scriptUrl.origin).replace(/\/+$/, ""),
    language: isLanguage(lang) ? lang : pickLanguage(navigator.languages ?? [navigator.language]),
    startOpen: data.open === "true",
  };
}

function mount(config: WidgetConfig): void {
  if (document.getElementById("tianfu-chat-widget")) return; // the tag was included twice
  const host = document.createElement("div");
  host.id = "tianfu-chat-widget";
  document.body.append(host);
  const storage = browserStorage();
  new ChatWidget(host, config, loadSession(storage), storage).start();
}

const config = readConfig(document.currentScript as HTMLScriptElement | null);
if (document.body) mount(config);
else document.addEventListener("DOMContentLoaded", () => mount(config));
