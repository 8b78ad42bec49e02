"""``/console/...``: the staff console's HTML pages (Jinja2, autoescaped; no script from a CDN).

Logged-in staff carry the HttpOnly ``tf_staff`` cookie (SameSite=Strict); every form carries the
session's CSRF token, checked before anything changes. Pages send a strict Content-Security-Policy
(scripts only from ``/console/static``), so a stored ``<script>`` is both escaped and blocked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from platform_api.api.deps import SessionDep, app_retriever
from platform_api.complaints import erasure, service
from platform_api.complaints.calendar import CST
from platform_api.complaints.deps import CaseSettingsDep, case_settings
from platform_api.complaints.errors import ApiError
from platform_api.complaints.evidence import evidence_path
from platform_api.complaints.models import ComplaintEvidence
from platform_api.complaints.settings import CATEGORIES
from platform_api.handoff import service as handoff
from platform_api.staff import accounts, audit, auth, canned, dashboard, views
from platform_api.staff.auth import COOKIE_NAME, Principal

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
LOGIN_CSRF_COOKIE = "tf_login_csrf"
LANGUAGE_NAMES = {
    "zh": "中文",
    "en": "English",
    "ja": "日本語",
    "ko": "한국어",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "ru": "Русский",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
    autoescape=True,  # every {{ value }} is HTML-escaped, also in .j2 files
    undefined=jinja2.StrictUndefined,
)


def _cst(value: str | dt.datetime | None) -> str:
    """ISO time → ``2026-12-08 09:30 CST`` (what staff in Sichuan read on their clock)."""
    if not value:
        return "—"
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"{moment.astimezone(CST):%Y-%m-%d %H:%M} CST"


_env.filters["cst"] = _cst
templates = Jinja2Templates(env=_env)


class LoginRequired(Exception):
    """No valid console session: go to the login page."""


class ConsoleRoute(APIRoute):
    """Console errors as pages: no session → login page; refused or bad input → error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired:
                return RedirectResponse("/console/login", status_code=303)
            except ApiError as error:
                return _page(
                    request,
                    "error.html",
                    {"principal": None, "message": error.detail},
                    status_code=error.status_code,
                )

        return handler


router = APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)


def _page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    base = {"language_names": LANGUAGE_NAMES, "categories": CATEGORIES}
    response = templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def _principal(request: Request, db: Session) -> Principal:
    principal = auth.resolve(db, request.cookies.get(COOKIE_NAME))
    if principal is None:
        raise LoginRequired
    return principal


def _supervisor(request: Request, db: Session) -> Principal:
    principal = _principal(request, db)
    if not principal.is_supervisor:
        raise ApiError(403, "supervisors only")
    return principal


async def _checked_form(request: Request, principal: Principal) -> FormData:
    """The posted form, after its CSRF token matched the session's (403 otherwise)."""
    form = await request.form()
    token = form.get("csrf_token")
    if not auth.csrf_ok(principal, token if isinstance(token, str) else None):
        raise ApiError(403, "the form expired or did not come from this console (CSRF check)")
    return form


def _text(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise ApiError(422, f"{name}: at most {limit} characters")
    return text


def _back(path: str, **params: str) -> RedirectResponse:
    query = f"?{urlencode(params)}" if params else ""
    return RedirectResponse(path + query, status_code=303)


def _venue_name(request: Request, venue_id: str | None) -> str | None:
    if not venue_id:
        return None
    try:
        entry = app_retriever(request.app).get(venue_id)
    except Exception:  # noqa: BLE001 - index not loaded: show the id only
        return None
    return None if entry is None else f"{entry.names.zh} / {entry.names.en}"


# --- login -----------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form (with a double-submit CSRF token)."""
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", {"principal": None, "csrf_token": token, "error": None})
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/console",
        secure=case_settings(request).staff_cookie_secure,
    )
    return response


@router.post("/login")
async def login_submit(request: Request, db: SessionDep, settings: CaseSettingsDep) -> Response:
    """Check CSRF and password; set the session cookie."""
    form = await request.form()
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    posted = form.get("csrf_token")
    if not cookie or not isinstance(posted, str) or not secrets.compare_digest(cookie, posted):
        raise ApiError(403, "the login form expired: reload the page (CSRF check)")
    try:
        token, row = auth.login(
            db, _text(form, "username", 64), _text(form, "password", 256), settings
        )
    except ApiError as error:
        fresh = secrets.token_urlsafe(24)
        response = _page(
            request,
            "login.html",
            {"principal": None, "csrf_token": fresh, "error": error.detail},
            status_code=error.status_code,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            fresh,
            httponly=True,
            samesite="strict",
            path="/console",
            secure=settings.staff_cookie_secure,
        )
        return response
    response = RedirectResponse("/console/", status_code=303)
    max_age = int((row.expires_at - row.created_at).total_seconds())
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="strict",
        path="/console",
        max_age=max_age,
        secure=settings.staff_cookie_secure,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
async def logout_submit(request: Request, db: SessionDep) -> Response:
    """Revoke the session and drop the cookie."""
    principal = _principal(request, db)
    await _checked_form(request, principal)
    auth.logout(db, principal)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/console")
    return response


# --- queue -----------------------------------------------------------------------------------


def _bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@router.get("/")
def queue(request: Request, db: SessionDep) -> Response:
    """Complaints (or escalations) with filters; overdue rows highlighted."""
    principal = _principal(request, db)
    q = request.query_params
    kind = "escalations" if q.get("kind") == "escalations" else "complaints"
    filters = {
        key: (q.get(key) or "")[:200]
        for key in ("status", "category", "venue", "language", "overdue", "due_before", "mine")
    }
    if kind == "complaints":
        due_before = None
        if filters["due_before"]:
            try:
                due_before = dt.datetime.combine(
                    dt.date.fromisoformat(filters["due_before"]), dt.time(23, 59), dt.UTC
                )
            except ValueError as error:
                raise ApiError(422, "due_before: use a date like 2026-12-31") from error
        status = (
            filters["status"] if filters["status"] in ("open", "in_progress", "resolved") else None
        )
        rows, total = service.list_complaints(
            db,
            service.ComplaintFilter(
                status=status,
                category=filters["category"] if filters["category"] in CATEGORIES else None,
                venue=filters["venue"] or None,
                language=filters["language"] or None,
                overdue=_bool(filters["overdue"]),
                due_before=due_before,
                assigned_to=principal.username if filters["mine"] == "yes" else None,
            ),
            limit=200,
        )
        items = [views.complaint_summary(row) for row in rows]
    else:
        status = filters["status"] if filters["status"] in ("open", "assigned", "closed") else None
        erows, total = handoff.list_escalations(
            db, status=status, language=filters["language"] or None, limit=200
        )
        items = [views.escalation_summary(row) for row in erows]
    return _page(
        request,
        "queue.html",
        {"principal": principal, "kind": kind, "items": items, "total": total, "filters": filters},
    )


# --- complaint detail and actions ------------------------------------------------------------


@router.get("/complaints/{reference}")
def complaint_page(request: Request, db: SessionDep, reference: str) -> Response:
    """Case file, history and the forms to act on it."""
    principal = _principal(request, db)
    complaint = service.require_complaint(db, reference)
    full = auth.may_see_personal_data(principal, complaint.assigned_to)
    audit.record(
        db,
        actor=principal.username,
        action="complaint.view",
        target=reference,
        detail="full" if full else "masked",
    )
    db.commit()
    detail = views.complaint_detail(db, complaint, principal)
    return _page(
        request,
        "complaint.html",
        {
            "principal": principal,
            "c": detail,
            "venue_name": _venue_name(request, complaint.venue_id),
            "canned": canned.replies_for(complaint.language),
            "staff": [u.username for u in accounts.list_users(db) if u.active],
            "done": request.query_params.get("done", "")[:40],
        },
    )


@router.post("/complaints/{reference}/{action}")
async def complaint_action(
    request: Request, db: SessionDep, reference: str, action: str
) -> Response:
    """reply, note, assign, start, resolve or reopen (CSRF-checked)."""
    principal = _principal(request, db)
    form = await _checked_form(request, principal)
    complaint = service.require_complaint(db, reference)
    who = principal.username
    if action == "reply":
        text = _text(form, "text")
        if not text:
            key = _text(form, "canned", 40)
            text = next((t for k, _, t in canned.replies_for(complaint.language) if k == key), "")
        service.add_reply(db, complaint, author=who, text=text)
    elif action == "note":
        service.add_note(db, complaint, author=who, text=_text(form, "text"))
    elif action == "assign":
        wanted = _text(form, "username", 64) or None
        if wanted is not None and accounts.get_user(db, wanted) is None:
            raise ApiError(422, f"no staff account {wanted}")
        if not principal.is_supervisor and wanted not in (None, who):
            raise ApiError(403, "agents may only assign cases to themselves")
        service.assign(db, complaint, author=who, assignee=wanted)
    elif action == "start":
        service.start(db, complaint, author=who)
    elif action == "resolve":
        service.resolve(db, complaint, author=who, outcome=_text(form, "outcome"))
    elif action == "reopen":
        service.reopen(db, complaint, author=who, reason=_text(form, "reason", 1000))
    else:
        raise ApiError(404, f"unknown action {action[:40]}")
    return _back(f"/console/complaints/{complaint.reference}", done=action)


# --- escalations -----------------------------------------------------------------------------


@router.get("/escalations/{reference}")
def escalation_page(request: Request, db: SessionDep, reference: str) -> Response:
    """Transcript and live conversation of a handoff."""
    principal = _principal(request, db)
    escalation = handoff.require_escalation(db, reference)
    audit.record(db, actor=principal.username, action="escalation.view", target=reference)
    db.commit()
    return _page(
        request,
        "escalation.html",
        {
            "principal": principal,
            "e": views.escalation_detail(db, escalation, principal),
            "canned": canned.replies_for(escalation.language),
            "done": request.query_params.get("done", "")[:40],
        },
    )


@router.post("/escalations/{reference}/{action}")
async def escalation_action(
    request: Request, db: SessionDep, reference: str, action: str
) -> Response:
    """message, note, assign (to me) or hand-back (CSRF-checked)."""
    principal = _principal(request, db)
    form = await _checked_form(request, principal)
    escalation = handoff.require_escalation(db, reference)
    who = principal.username
    if action == "message":
        text = _text(form, "text")
        if not text:
            raise ApiError(422, "text: the message is empty")
        handoff.staff_message(db, escalation, author=who, text=text)
    elif action == "note":
        text = _text(form, "text")
        if not text:
            raise ApiError(422, "text: the note is empty")
        handoff.add_note(db, escalation, author=who, text=text)
    elif action == "assign":
        handoff.assign(db, escalation, author=who, assignee=who)
    elif action == "hand-back":
        if not escalation.active:
            raise ApiError(409, f"{reference} is not an active handoff")
        handoff.end_handoff(db, escalation, by=who, staff=True)
    else:
        raise ApiError(404, f"unknown action {action[:40]}")
    return _back(f"/console/escalations/{escalation.reference}", done=action)


# --- evidence, dashboard, admin --------------------------------------------------------------


@router.get("/evidence/{evidence_id}")
def evidence_image(
    request: Request, db: SessionDep, settings: CaseSettingsDep, evidence_id: int
) -> Response:
    """A stored evidence image (staff only)."""
    principal = _principal(request, db)
    row = db.get(ComplaintEvidence, evidence_id)
    path = evidence_path(row, settings) if row is not None else None
    if row is None or path is None:
        raise ApiError(404, "no stored evidence with this id")
    audit.record(db, actor=principal.username, action="evidence.view", target=str(evidence_id))
    db.commit()
    return FileResponse(path, media_type=row.content_type, headers=SECURITY_HEADERS)


@router.get("/dashboard")
def dashboard_page(request: Request, db: SessionDep) -> Response:
    """Charts and figures."""
    principal = _principal(request, db)
    return _page(request, "dashboard.html", {"principal": principal, "d": dashboard.compute(db)})


@router.get("/admin")
def admin_page(request: Request, db: SessionDep) -> Response:
    """Staff accounts, data erasure and the audit log (supervisors only)."""
    principal = _supervisor(request, db)
    return _page(
        request,
        "admin.html",
        {
            "principal": principal,
            "users": accounts.list_users(db),
            "audit": audit.recent(db, limit=100),
            "done": request.query_params.get("done", "")[:40],
            "result": request.query_params.get("result", "")[:200],
        },
    )


@router.post("/admin/users")
async def admin_create_user(request: Request, db: SessionDep) -> Response:
    """Create a staff account (supervisors only)."""
    principal = _supervisor(request, db)
    form = await _checked_form(request, principal)
    try:
        user = accounts.create_user(
            db,
            username=_text(form, "username", 64),
            password=_text(form, "password", 256),
            role=_text(form, "role", 16),
            display_name=_text(form, "display_name", 128),
        )
    except ValueError as error:
        raise ApiError(422, str(error)) from error
    audit.record(
        db, actor=principal.username, action="staff.create", target=user.username, detail=user.role
    )
    db.commit()
    return _back("/console/admin", done="user")


@router.post("/admin/erase")
async def admin_erase(request: Request, db: SessionDep, settings: CaseSettingsDep) -> Response:
    """Erase/anonymise a tourist's data (supervisors only)."""
    principal = _supervisor(request, db)
    form = await _checked_form(request, principal)
    user_id = _text(form, "user_id", 128)
    if not user_id:
        raise ApiError(422, "user_id: give the tourist's conversation id")
    result = erasure.erase_user(db, user_id, settings, actor=principal.username)
    summary = (
        f"complaints={result.complaints} escalations={result.escalations} "
        f"outbox={result.outbox_messages} files={result.evidence_files}"
    )
    return _back("/console/admin", done="erase", result=summary)
