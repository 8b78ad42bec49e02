"""Entry point of the platform API.

``python server.py`` serves on ``PLATFORM_HOST``:``PLATFORM_PORT`` (default 127.0.0.1:8000)
with our one-line-per-request log and without uvicorn's access log, which would print query
strings. With the uvicorn CLI use ``uvicorn server:app --port 8000 --no-access-log``.
"""

from __future__ import annotations

import logging

import uvicorn

from platform_api.core.config import get_settings
from platform_api.main import app

__all__ = ["app"]

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
