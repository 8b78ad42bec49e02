"""A WeChat server stand-in for tests and local demos (``python -m channels.wechat_simulator``).

:class:`ApiServer` serves ``GET /cgi-bin/token`` and ``POST /cgi-bin/message/custom/send`` on
loopback and records what it receives (point the channel's ``WECHAT_API_BASE`` at it);
:class:`Sender` posts signed (and, in compatible or safe mode, encrypted) XML to a webhook and
retries like WeChat: up to 3 attempts, each given 5 seconds.
"""

from channels.wechat_simulator.api_server import ApiServer, CustomMessage
from channels.wechat_simulator.sender import Attempt, Delivery, Sender

__all__ = ["ApiServer", "Attempt", "CustomMessage", "Delivery", "Sender"]
