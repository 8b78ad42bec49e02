"""Local demo: ``python -m channels.wechat_simulator --webhook URL --token T [options] MESSAGE...``

Starts the simulated WeChat API on loopback (point the Rasa process's ``WECHAT_API_BASE`` at the
printed URL, with ``--api-port``), sends each MESSAGE as a tourist's text (``@subscribe``,
``@scan:SCENE``, ``@click:KEY``, ``@location:LAT,LON``, ``@voice:TEXT``, ``@image:URL`` for other
kinds), and prints the passive replies and the customer-service messages received.
"""

from __future__ import annotations

import argparse
import asyncio
import os

from channels.wechat_simulator.api_server import ApiServer
from channels.wechat_simulator.sender import Sender


def _xml(sender: Sender, openid: str, message: str) -> str:
    kind, _, arg = message.partition(":")
    if kind == "@subscribe":
        return sender.event(openid, "subscribe", f"qrscene_{arg}" if arg else None)
    if kind == "@scan":
        return sender.event(openid, "SCAN", arg)
    if kind == "@click":
        return sender.event(openid, "CLICK", arg)
    if kind == "@location":
        lat, lon = (float(x) for x in arg.split(","))
        return sender.location(openid, lat, lon)
    if kind == "@voice":
        return sender.voice(openid, arg or None)
    if kind == "@image":
        return sender.image(openid, arg)
    if kind == "@unsubscribe":
        return sender.event(openid, "unsubscribe")
    return sender.text(openid, message)


async def main(args: argparse.Namespace) -> None:
    """Serve the API, send the messages, print what came back."""
    api = ApiServer(args.app_id, args.app_secret)
    base = await api.start(port=args.api_port)
    print(f"simulated WeChat API: {base}  (WECHAT_API_BASE)")
    sender = Sender(
        args.webhook, args.token, app_id=args.app_id, aes_key=args.aes_key, mode=args.mode
    )
    try:
        for message in args.messages:
            delivery = await sender.deliver(_xml(sender, args.openid, message))
            seconds = ", ".join(f"{a.status}:{a.seconds:.2f}s" for a in delivery.attempts)
            reply = delivery.reply["Content"] if delivery.reply else delivery.final.body or "-"
            print(f"> {message}\n  attempts {seconds}\n  passive: {reply}")
        await asyncio.sleep(args.wait)
        for custom in api.messages:
            print(f"  customer service -> {custom.touser}: {custom.content}")
    finally:
        await api.stop()


def parse_args() -> argparse.Namespace:
    """Command-line options (secrets default to the WECHAT_* environment variables)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--webhook", default="http://127.0.0.1:5005/webhooks/wechat/webhook")
    parser.add_argument("--token", default=os.environ.get("WECHAT_TOKEN", ""))
    parser.add_argument("--app-id", default=os.environ.get("WECHAT_APP_ID", "wx-simulated"))
    parser.add_argument("--app-secret", default=os.environ.get("WECHAT_APP_SECRET", "simulated"))
    parser.add_argument("--aes-key", default=os.environ.get("WECHAT_AES_KEY", ""))
    parser.add_argument("--mode", choices=["plaintext", "compatible", "safe"], default=None)
    parser.add_argument("--api-port", type=int, default=0, help="port of the simulated API")
    parser.add_argument("--openid", default="oSimulatedTourist000000000001")
    parser.add_argument("--wait", type=float, default=6.0, help="seconds to wait for async replies")
    parser.add_argument("messages", nargs="+")
    args = parser.parse_args()
    if not args.token:
        parser.error("--token (or WECHAT_TOKEN) is required")
    if args.mode is None:
        args.mode = "safe" if args.aes_key else "plaintext"
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
