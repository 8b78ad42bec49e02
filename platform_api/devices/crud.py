"""Device rows: create, list, update, look up by key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.devices.keys import key_hash, new_key
from platform_api.devices.models import GuideDevice
from platform_api.devices.schemas import DeviceCreate, DeviceUpdate
from platform_api.models import utcnow


def create_device(session: Session, device_in: DeviceCreate) -> tuple[GuideDevice, str]:
    """A new device and its key (the only time the key exists in clear)."""
    key = new_key()
    row = GuideDevice(
        name=device_in.name,
        language=device_in.language,
        venue_id=device_in.venue_id,
        key_hash=key_hash(key),
        key_prefix=key[:10],
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.commit()
    return row, key


def list_devices(session: Session) -> list[GuideDevice]:
    """Every device, oldest first."""
    return list(session.scalars(select(GuideDevice).order_by(GuideDevice.id)))


def update_device(session: Session, device: GuideDevice, changes: DeviceUpdate) -> GuideDevice:
    """Apply the fields set in ``changes``."""
    for field, value in changes.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(device, field, value)
    session.commit()
    return device


def device_by_key(session: Session, key: str, *, touch: bool = True) -> GuideDevice | None:
    """The active device whose key is ``key`` (lookup by hash), its last-seen time updated."""
    device = session.scalar(select(GuideDevice).where(GuideDevice.key_hash == key_hash(key)))
    if device is None or not device.active:
        return None
    if touch:
        device.last_seen_at = utcnow()
        session.commit()
    return device
