"""Entry point of the platform API: ``python server.py`` or ``uvicorn server:app``."""

from __future__ import annotations

import uvicorn

from platform_api.main import app

__all__ = ["app"]

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)  # noqa: S104 - served behind the reverse proxy
