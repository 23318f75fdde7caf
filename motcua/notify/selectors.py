"""Reads of notifications for the citizen's inbox, the API and the staff."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .models import Channel, Delivery, Kind, Preference


@dataclass
class InboxItem:
    message: Delivery  # the portal copy
    channels: list[Delivery]  # the same message on the other channels, with their status


def inbox(user, *, limit: int = 50) -> list[InboxItem]:
    """The person's messages, newest first, each with its delivery on every other channel."""
    copies = list(Delivery.objects.filter(user=user, channel=Channel.PORTAL).order_by("-created_at", "-id")[:limit])
    others: dict[tuple[str, str], list[Delivery]] = {}
    for delivery in (Delivery.objects.filter(event_key__in=[c.event_key for c in copies])
                     .exclude(channel=Channel.PORTAL).order_by("id")):
        others.setdefault((delivery.event_key, delivery.recipient), []).append(delivery)
    return [InboxItem(copy, others.get((copy.event_key, copy.recipient), [])) for copy in copies]


def unread_count(user) -> int:
    return Delivery.objects.filter(user=user, channel=Channel.PORTAL, read_at__isnull=True).count()


def mark_read(user) -> int:
    return Delivery.objects.filter(user=user, channel=Channel.PORTAL, read_at__isnull=True).update(
        read_at=timezone.now())


def preference_of(user) -> Preference:
    """The stored choice, or the default (SMS for every kind, Vietnamese), unsaved."""
    return Preference.objects.filter(user=user).first() or Preference(user=user, channels={}, language="vi")


def chosen_channels(preference: Preference) -> dict[str, list[str]]:
    return {kind: list(preference.channels.get(kind, [Channel.SMS])) for kind in Kind.values}
