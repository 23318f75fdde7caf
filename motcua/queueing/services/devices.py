"""Pairing hall devices (kiosks, counters' rating tablets) and recognising them by their key.

An officer of the branch pairs a device once; the device then carries a random key (its browser's
cookie, or the X-Device-Key header of the API). Only the key's SHA-256 is stored: a 256-bit random
key needs no slow hash, and a copy of the database names no usable key.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.org.models import Counter, ServicePoint

from .. import policies
from ..models import Device

KEY_PREFIX = "dk_"
NAME_MAX_LENGTH = 100
_SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class PairedDevice:
    device: Device
    key: str  # shown once, to be stored by the device; never kept on the server


def new_device_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def pair_device(*, user, kind: str, service_point: ServicePoint, counter: Counter | None = None, name: str = "",
                replaces: Device | None = None, key: str | None = None) -> PairedDevice:
    """Register a kiosk (of `service_point`) or a rating tablet (of `counter`) paired by `user`.

    `replaces` is the device this browser was paired as before, revoked in the same transaction (one
    browser is one device). `key` is for the demo's reproducible kiosks only.
    """
    if kind not in Device.Kind.values:
        raise ValidationFailed(_("Loại thiết bị không hợp lệ."), code="device_kind_invalid", details={"field": "kind"})
    if kind == Device.Kind.TABLET:
        if counter is None:
            raise ValidationFailed(_("Máy tính bảng đánh giá phải gắn với một quầy."), code="device_counter_required",
                                   details={"field": "counter"})
        service_point = counter.service_point
    else:
        counter = None
    policies.check(user, "pair_device", service_point)
    key = key or new_device_key()
    name = " ".join((name or "").split())[:NAME_MAX_LENGTH]
    with transaction.atomic():
        if replaces is not None and replaces.is_active:
            _revoke(replaces, user=user, reason="replaced")
        device = Device.objects.create(kind=kind, service_point=service_point, counter=counter, name=name,
                                       key_prefix=key[:10], key_hash=Device.hash_key(key),
                                       created_by=user if getattr(user, "is_authenticated", False) else None)
        audit.record_event(user, "device.paired", "queueing.Device", device.pk, to_state="active",
                           data={"kind": kind, "service_point": service_point.pk,
                                 "counter": counter.number if counter else None})
    return PairedDevice(device=device, key=key)


def _revoke(device: Device, *, user, reason: str = "") -> Device:
    now = timezone.now()
    by = user if getattr(user, "is_authenticated", False) else None
    # Conditional: two revocations at once record one event.
    if Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by):
        audit.record_event(user, "device.revoked", "queueing.Device", device.pk, from_state="active",
                           to_state="revoked", reason=reason,
                           data={"kind": device.kind, "service_point": device.service_point_id})
    device.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return device


def revoke_device(device: Device, *, user) -> Device:
    """End a pairing: the device's key is refused from now on (an officer of the branch, or an administrator)."""
    policies.check(user, "revoke_device", device.service_point)
    with transaction.atomic():
        return _revoke(device, user=user)


def ensure_device_at(device: Device | None, service_point_id: int) -> None:
    """A paired kiosk works at its own service point only (403 `device_wrong_service_point` elsewhere)."""
    if device is not None and device.service_point_id != service_point_id:
        raise PermissionDenied(_("Kiosk này được ghép nối với một điểm tiếp nhận khác."),
                               code="device_wrong_service_point")


def authenticate_device(key: str | None, *, kind: str | None = None) -> Device | None:
    """The active device holding `key` (of `kind` if given), or None. Notes when it was last seen."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    devices = Device.objects.select_related("service_point__branch", "counter").filter(
        key_hash=Device.hash_key(key), revoked_at__isnull=True)
    if kind:
        devices = devices.filter(kind=kind)
    device = devices.first()
    now = timezone.now()
    if device is not None and (device.last_seen_at is None or now - device.last_seen_at > _SEEN_EVERY):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
    return device
