"""Dependencies shared by the case, handoff and staff routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from platform_api.complaints.settings import CaseSettings, get_case_settings


def case_settings(request: Request) -> CaseSettings:
    """The app's case settings (``app.state.case_settings``, else the process's)."""
    settings: CaseSettings | None = getattr(request.app.state, "case_settings", None)
    if settings is None:
        settings = get_case_settings()
        request.app.state.case_settings = settings
    return settings


CaseSettingsDep = Annotated[CaseSettings, Depends(case_settings)]
