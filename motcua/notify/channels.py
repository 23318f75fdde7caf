"""The channels behind one interface: `send(delivery) -> provider message id`, `ChannelUnavailable` when the
provider did not take the message (retried later with backoff). The portal inbox is not sent: its copy is
the delivery row itself."""

from __future__ import annotations

import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

from motcua.integrations.sms import SmsUnavailable, get_sms
from motcua.integrations.zalo import ZaloUnavailable, get_zns

from . import messages
from .models import Channel, Delivery


class ChannelUnavailable(Exception):
    """The provider did not accept the message; the text says why, without any address."""


class Sender(Protocol):
    def send(self, delivery: Delivery) -> str: ...


class SmsChannel:
    def send(self, delivery: Delivery) -> str:
        try:
            return get_sms().send(delivery.address, delivery.text) or ""
        except SmsUnavailable as exc:
            raise ChannelUnavailable(str(exc)) from None


class ZaloChannel:
    """ZNS template message: the template registered with Zalo for this key, our parameters, our id to track."""

    def send(self, delivery: Delivery) -> str:
        template_id = messages.zns_template_id(delivery.template)
        if not template_id:
            raise ChannelUnavailable("no ZNS template for this message")
        try:
            return get_zns().send_template(delivery.address, template_id,
                                           {k: str(v) for k, v in delivery.params.items()}, f"notify-{delivery.pk}")
        except ZaloUnavailable as exc:
            raise ChannelUnavailable(str(exc)) from None


class EmailChannel:
    def send(self, delivery: Delivery) -> str:
        message_id = make_msgid(domain=getattr(settings, "MOTCUA_EMAIL_DOMAIN", "motcua.local"))
        mail = EmailMessage(subject=delivery.subject, body=delivery.text, to=[delivery.address],
                            headers={"Message-ID": message_id})
        try:
            mail.send()
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelUnavailable(f"mail server: {type(exc).__name__}") from None
        return message_id


SENDERS: dict[str, Sender] = {Channel.SMS: SmsChannel(), Channel.ZALO: ZaloChannel(), Channel.EMAIL: EmailChannel()}


def sender_for(channel: str) -> Sender:
    return SENDERS[channel]
