"""A person's choice of channels for each kind of message, and their language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed

from ..models import Channel, Kind, Preference

CHOOSABLE = (Channel.SMS, Channel.ZALO, Channel.EMAIL)


@transaction.atomic
def set_preferences(user, channels: dict[str, list[str]], language: str) -> Preference:
    """Store the person's channels per kind (the portal inbox is always kept) and their language."""
    if not user.is_authenticated:
        raise ValidationFailed(_("Cần đăng nhập."), code="not_authenticated")
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Ngôn ngữ không hợp lệ."), code="language_unknown",
                               details=[{"field": "language", "code": "language_unknown"}])
    clean: dict[str, list[str]] = {}
    for kind, chosen in channels.items():
        if kind not in Kind.values:
            raise ValidationFailed(_("Loại thông báo không hợp lệ."), code="kind_unknown",
                                   details=[{"field": kind, "code": "kind_unknown"}])
        unknown = [c for c in chosen if c not in CHOOSABLE]
        if unknown:
            raise ValidationFailed(_("Kênh nhận thông báo không hợp lệ."), code="channel_unknown",
                                   details=[{"field": kind, "code": "channel_unknown"}])
        clean[kind] = [c for c in CHOOSABLE if c in chosen]
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.channels = {**preference.channels, **clean}
    preference.language = language
    preference.save()
    return preference
