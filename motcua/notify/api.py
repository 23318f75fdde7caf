"""The notify API (Django Ninja): the person's notifications with their delivery status, and their choice
of channels."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from motcua.core.api import ErrorOut, authenticated

from . import selectors, services

router = Router(tags=["notify"])


class ChannelStatusOut(Schema):
    channel: str
    status: str
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    reason: str


class NotificationOut(Schema):
    id: int
    kind: str
    template: str
    subject: str
    text: str
    object_type: str
    object_id: str
    created_at: dt.datetime
    read: bool
    channels: list[ChannelStatusOut]


class PreferencesIn(Schema):
    channels: dict[str, list[str]]
    language: str = "vi"


class PreferencesOut(Schema):
    channels: dict[str, list[str]]
    language: str


@router.get("/me/notifications", auth=authenticated, response={200: list[NotificationOut], 401: ErrorOut},
            summary="My notifications, newest first, with each channel's delivery status")
def my_notifications(request):
    return [NotificationOut(
        id=item.message.pk, kind=item.message.kind, template=item.message.template, subject=item.message.subject,
        text=item.message.text, object_type=item.message.object_type, object_id=item.message.object_id,
        created_at=item.message.created_at, read=item.message.read_at is not None,
        channels=[ChannelStatusOut(channel=d.channel, status=d.status, sent_at=d.sent_at, delivered_at=d.delivered_at,
                                   reason=d.last_error if d.status in ("failed", "dead") else "")
                  for d in item.channels]) for item in selectors.inbox(request.user)]


@router.get("/me/notification-preferences", auth=authenticated, response={200: PreferencesOut, 401: ErrorOut},
            summary="My channels for each kind of message")
def my_preferences(request):
    preference = selectors.preference_of(request.user)
    return PreferencesOut(channels=selectors.chosen_channels(preference), language=preference.language)


@router.put("/me/notification-preferences", auth=authenticated, response={200: PreferencesOut, 401: ErrorOut},
            summary="Choose my channels for each kind of message (sms, zalo, email)")
def set_my_preferences(request, body: PreferencesIn):
    preference = services.set_preferences(request.user, body.channels, body.language)
    return PreferencesOut(channels=selectors.chosen_channels(preference), language=preference.language)
