"""``/api/complaints``: filed and read by the bot (service token), on behalf of the tourist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, UploadFile, status

from platform_api.api.deps import CurrentBot, SessionDep, app_retriever
from platform_api.complaints import erasure, evidence, service
from platform_api.complaints.deps import CaseSettingsDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.complaints.guess_limit import GuessLimiter
from platform_api.complaints.schemas import (
    COMPLAINT_REFERENCE,
    ComplaintCreate,
    ComplaintCreated,
    ComplaintStatusPublic,
    ErasureRequest,
    ErasureResult,
    EvidencePublic,
    EvidenceUrl,
    ReplyPublic,
)

router = APIRouter(
    prefix="/api/complaints",
    tags=["complaints"],
    dependencies=[CurrentBot],
    route_class=EnvelopeRoute,
)
privacy_router = APIRouter(
    prefix="/api/privacy", tags=["privacy"], dependencies=[CurrentBot], route_class=EnvelopeRoute
)
ReferencePath = Annotated[str, Path(pattern=COMPLAINT_REFERENCE, max_length=32)]


def _check_venue(request: Request, venue_id: str | None) -> None:
    """422 when ``venue_id`` is not a knowledge-base entry (skipped while the index is not loaded)."""
    if venue_id is None:
        return
    try:
        entry = app_retriever(request.app).get(venue_id)
    except Exception:  # noqa: BLE001 - index not built/loading: accept, staff see the raw id
        return
    if entry is None:
        raise ApiError(422, f"venue_id: {venue_id} is not a knowledge-base entry")


def _guess_limiter(request: Request) -> GuessLimiter:
    limiter: GuessLimiter | None = getattr(request.app.state, "complaint_guess_limiter", None)
    if limiter is None:
        limiter = GuessLimiter()
        request.app.state.complaint_guess_limiter = limiter
    return limiter


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ComplaintCreated)
def file_complaint(
    request: Request, session: SessionDep, settings: CaseSettingsDep, body: ComplaintCreate
) -> ComplaintCreated:
    """File a complaint; answers its reference and the promised response time (``due_at``)."""
    _check_venue(request, body.venue_id)
    complaint = service.create_complaint(session, body, settings)
    return ComplaintCreated(
        reference=complaint.reference,
        status="open",
        due_at=complaint.due_at,
        resolve_due_at=complaint.resolve_due_at,
    )


@router.get("/{reference}", response_model=ComplaintStatusPublic)
def complaint_status(
    request: Request,
    session: SessionDep,
    reference: ReferencePath,
    phone: Annotated[str, Query(min_length=3, max_length=32)],
) -> ComplaintStatusPublic:
    """Status, staff replies and deadline; 404 unless ``phone`` is the one the case was filed with.

    After 10 wrong phones in an hour the reference answers 429 (whatever the phone).
    """
    limiter = _guess_limiter(request)
    if limiter.blocked(reference):
        raise ApiError(429, "too many wrong phone numbers for this reference: try again later")
    complaint = service.get_for_tourist(session, reference, phone)
    if complaint is None:
        limiter.failed(reference)
        raise ApiError(404, "no complaint with this reference and phone number")
    replies = [
        ReplyPublic(text=e.text, at=e.created_at) for e in service.replies(session, reference)
    ]
    return ComplaintStatusPublic(
        reference=complaint.reference,
        status=complaint.status,  # type: ignore[arg-type]
        category=complaint.category,
        language=complaint.language,
        due_at=complaint.due_at,
        replies=replies,
        latest_reply=replies[-1] if replies else None,
        outcome=complaint.outcome,
        updated_at=complaint.updated_at,
    )


def _public(row: object) -> EvidencePublic:
    return EvidencePublic.model_validate(row, from_attributes=True)


@router.post("/{reference}/evidence", status_code=201, response_model=EvidencePublic)
async def upload_evidence(
    session: SessionDep,
    settings: CaseSettingsDep,
    reference: ReferencePath,
    file: Annotated[UploadFile, File(description="JPEG, PNG, GIF or WebP image")],
) -> EvidencePublic:
    """Attach an uploaded image (multipart field ``file``)."""
    complaint = service.require_complaint(session, reference)
    data = await file.read(settings.evidence_max_bytes + 1)
    return _public(evidence.store_upload(session, complaint, data, settings))


@router.post("/{reference}/evidence/url", status_code=201, response_model=EvidencePublic)
def link_evidence(
    session: SessionDep, reference: ReferencePath, body: EvidenceUrl
) -> EvidencePublic:
    """Attach an image the channel hosts, by URL."""
    complaint = service.require_complaint(session, reference)
    return _public(evidence.add_url(session, complaint, body.url))


@privacy_router.post("/erase", response_model=ErasureResult)
def erase_tourist(
    session: SessionDep, settings: CaseSettingsDep, body: ErasureRequest
) -> ErasureResult:
    """Erase/anonymise everything about one tourist (deletion request or WeChat unsubscribe)."""
    return erasure.erase_user(session, body.user_id, settings, actor="service")
