"""Evidence images: checked by their first bytes, stored once under a content hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from platform_api.complaints.errors import ApiError
from platform_api.complaints.models import CaseEntry, Complaint, ComplaintEvidence
from platform_api.complaints.settings import CaseSettings
from platform_api.models import utcnow

IMAGE_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG, GIF or WebP image, else None."""
    for signature, content_type, extension in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def store_upload(
    session: Session,
    complaint: Complaint,
    data: bytes,
    settings: CaseSettings,
    *,
    now: dt.datetime | None = None,
) -> ComplaintEvidence:
    """Store an uploaded image for ``complaint`` (413 when too large, 415 when not an image)."""
    if len(data) > settings.evidence_max_bytes:
        raise ApiError(413, f"evidence larger than {settings.evidence_max_bytes} bytes")
    kind = sniff_image(data)
    if kind is None:
        raise ApiError(415, "evidence must be a JPEG, PNG, GIF or WebP image")
    content_type, extension = kind
    digest = hashlib.sha256(data).hexdigest()
    stored_name = digest + extension
    settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    path = settings.evidence_dir / stored_name
    if not path.exists():
        path.write_bytes(data)
    return _add(
        session,
        complaint,
        now,
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
    )


def add_url(
    session: Session, complaint: Complaint, url: str, *, now: dt.datetime | None = None
) -> ComplaintEvidence:
    """Attach an image the channel hosts, by URL."""
    return _add(session, complaint, now, url=url)


def _add(
    session: Session, complaint: Complaint, now: dt.datetime | None, **fields: object
) -> ComplaintEvidence:
    now = now or utcnow()
    row = ComplaintEvidence(complaint_id=complaint.id, created_at=now, **fields)
    session.add(row)
    session.add(
        CaseEntry(
            case_reference=complaint.reference,
            kind="evidence",
            author="tourist",
            text="",
            visible_to_tourist=False,
            created_at=now,
        )
    )
    session.commit()
    return row


def evidence_path(row: ComplaintEvidence, settings: CaseSettings) -> Path | None:
    """The stored file of an uploaded image (None for URLs or a missing file)."""
    if not row.stored_name:
        return None
    path = settings.evidence_dir / row.stored_name
    return path if path.is_file() else None
