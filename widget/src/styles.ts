// The widget's CSS, scoped by its shadow root (the host page's styles cannot break it, and it
// cannot break the host page). Full screen below 480 px wide; visible focus rings everywhere.

export const CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.tw-root { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans",
  "Noto Sans CJK SC", "Malgun Gothic", sans-serif; color: #1b1f24; }
.tw-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, select, textarea { font: inherit; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.tw-launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0;
  border-radius: 28px; padding: 14px 20px; background: #0b6e4f; color: #fff; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); font-weight: 600; }
.tw-launcher:hover { background: #095c42; }
.tw-panel { position: fixed; right: 20px; bottom: 20px; z-index: 2147483001; width: 380px;
  height: min(620px, calc(100vh - 40px)); display: flex; flex-direction: column; background: #fff;
  border-radius: 14px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; }
.tw-panel[hidden], .tw-launcher[hidden] { display: none; }
.tw-header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: #0b6e4f;
  color: #fff; }
.tw-title { flex: 1; margin: 0; font-size: 15px; font-weight: 600; line-height: 1.3; }
.tw-lang { display: flex; align-items: center; gap: 4px; font-size: 13px; }
.tw-lang select { border-radius: 6px; border: 1px solid #cfe3da; padding: 4px; min-height: 32px;
  background: #fff; color: #1b1f24; }
.tw-close { border: 0; background: transparent; color: #fff; font-size: 22px; width: 40px;
  height: 40px; border-radius: 8px; cursor: pointer; }
.tw-close:hover { background: rgba(255,255,255,.15); }
.tw-status { padding: 4px 12px; font-size: 13px; background: #fff4ce; color: #5c4400; }
.tw-status:empty { display: none; }
.tw-log { flex: 1; overflow-y: auto; margin: 0; padding: 12px; list-style: none; background: #f4f6f8; }
.tw-intro { padding: 8px 12px 0; background: #f4f6f8; }
.tw-intro:has(> [hidden]:first-child) { padding: 0; }
.tw-hint { color: #4a5563; font-size: 14px; margin: 0 0 6px; }
.tw-starters { margin: 0 0 6px; }
.tw-starters[hidden], .tw-hint[hidden] { display: none; }
.tw-msg { display: flex; flex-direction: column; margin: 0 0 10px; max-width: 85%; }
.tw-user { margin-left: auto; align-items: flex-end; }
.tw-text { margin: 0; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap;
  overflow-wrap: anywhere; background: #fff; border: 1px solid #dde3e8; }
.tw-user .tw-text { background: #0b6e4f; color: #fff; border-color: #0b6e4f; }
.tw-staff .tw-text { background: #eef3ff; border-color: #9fb4e8; }
.tw-badge { font-size: 12px; color: #2b4aa0; margin: 0 0 2px 4px; font-weight: 600; }
.tw-link { color: #0a58ca; text-decoration: underline; }
.tw-user .tw-link { color: #fff; }
.tw-pay { display: inline-block; margin: 6px 0 2px; padding: 6px 14px; border-radius: 18px;
  background: #c8102e; color: #fff; text-decoration: none; font-weight: 600; }
.tw-image { margin-top: 6px; max-width: 100%; border-radius: 10px; }
.tw-replies { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.tw-reply { border: 1px solid #0b6e4f; color: #0b6e4f; background: #fff; border-radius: 16px;
  padding: 6px 12px; min-height: 36px; cursor: pointer; }
.tw-reply:hover { background: #e6f2ed; }
.tw-typing { padding: 0 12px 6px; font-size: 13px; color: #4a5563; background: #f4f6f8; min-height: 1.4em; }
.tw-dots span { display: inline-block; width: 6px; height: 6px; margin-right: 3px; border-radius: 50%;
  background: #4a5563; animation: tw-blink 1.2s infinite both; }
.tw-dots span:nth-child(2) { animation-delay: .2s; } .tw-dots span:nth-child(3) { animation-delay: .4s; }
@keyframes tw-blink { 0%, 80%, 100% { opacity: .2; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .tw-dots span { animation: none; } }
.tw-form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #dde3e8; background: #fff; }
.tw-input { flex: 1; resize: none; min-height: 44px; max-height: 120px; padding: 10px; border-radius: 10px;
  border: 1px solid #8a96a3; }
.tw-send { border: 0; border-radius: 10px; padding: 0 16px; min-height: 44px; background: #0b6e4f;
  color: #fff; font-weight: 600; cursor: pointer; }
.tw-send:disabled { background: #8a96a3; cursor: not-allowed; }
@media (max-width: 480px) {
  .tw-panel { top: 0; right: 0; bottom: 0; left: 0; width: auto; height: auto; border-radius: 0; }
  .tw-launcher { right: 12px; bottom: 12px; }
  .tw-input { font-size: 16px; }
  .tw-msg { max-width: 92%; }
}
`;
