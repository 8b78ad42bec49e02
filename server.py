"""Entry point of the platform API.

``python server.py`` serves on ``PLATFORM_HOST``:``PLATFORM_PORT`` (default 127.0.0.1:8000)
with our one-line-per-request log and without uvicorn's access log, which would print query
strings. With the uvicorn CLI use ``uvicorn server:app --host 127.0.0.1 --no-access-log``.
A missing or placeholder secret stops the process here with one line per problem.
"""

from __future__ import annotations

import logging

import uvicorn
from pydantic import ValidationError

from common.logsafe import RedactingFilter
from platform_api.core.config import get_settings, settings_error_message
from platform_api.main import create_app

__all__ = ["app"]

logging.basicConfig(
    level=logging.INFO, format="%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
)
for _handler in logging.getLogger().handlers:
    _handler.addFilter(RedactingFilter())

try:
    app = create_app(get_settings())
except ValidationError as error:
    raise SystemExit(settings_error_message(error)) from None

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
