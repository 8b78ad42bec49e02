"""``GET /widget/widget.js`` (the built bundle) and ``GET /widget/demo`` (a page embedding it).

The bundle is built by ``make widget`` from ``widget/`` into :data:`STATIC_DIR`; nothing is loaded
from a CDN. A missing bundle is a 503 that says how to build it.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse

from platform_api.widget.config import STATIC_DIR, WidgetSettings, get_widget_settings

router = APIRouter(prefix="/widget", tags=["widget"])
WidgetSettingsDep = Annotated[WidgetSettings, Depends(get_widget_settings)]
_DEMO = Template((Path(__file__).parent / "templates" / "demo.html").read_text(encoding="utf-8"))


def bundle_path() -> Path:
    """The built bundle; 503 with the build command when it is missing."""
    path = STATIC_DIR / "widget.js"
    if not path.is_file():
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="the widget is not built: run `make widget`",
        )
    return path


@router.get("/widget.js", response_class=FileResponse, summary="The chat widget bundle")
def widget_js() -> FileResponse:
    """The one file a page loads (``<script src=".../widget/widget.js" data-rasa="...">``)."""
    return FileResponse(
        bundle_path(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def content_security_policy(rasa_url: str) -> str:
    """The demo page may load scripts only from here and talk only to here and Rasa."""
    parts = urlsplit(rasa_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    rasa_origins = f"{parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' https: data:; connect-src 'self' {rasa_origins}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


@router.get("/demo", response_class=HTMLResponse, summary="A page that embeds the widget")
def demo(request: Request, settings: WidgetSettingsDep) -> HTMLResponse:
    """A stand-in for any platform page: one script tag, nothing else of the widget."""
    page = _DEMO.substitute(
        widget_src=html.escape(str(request.url_for("widget_js")), quote=True),
        rasa_url=html.escape(settings.rasa_url, quote=True),
    )
    return HTMLResponse(
        page, headers={"Content-Security-Policy": content_security_policy(settings.rasa_url)}
    )
