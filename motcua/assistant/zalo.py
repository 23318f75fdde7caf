"""The assistant on Zalo OA: the webhook receives a follower's text and answers through the OA.

Zalo signs each event (`integrations.zalo.verify_signature`, secret `MOTCUA_ZALO_OA_SECRET`); an
unsigned or wrongly signed event is refused (403) and never read further. The answer is the same as
on the web (`services.ask`, channel `zalo`), its links made absolute. A follower's Zalo id is never
stored: their conversation is found through the cache under a keyed hash of it, for a day.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core import ratelimit
from motcua.core.errors import DomainError
from motcua.integrations import zalo

from . import services
from .models import Conversation

logger = logging.getLogger(__name__)
CONVERSATION_SECONDS = 86400


def _follower_key(user_id: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"zalo\x1f{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"assistant:zalo:{digest}"


def _message(reply: services.Reply, request) -> str:
    lines = [reply.answer] + [f"{link.title}: {request.build_absolute_uri(link.url)}" for link in reply.links]
    return "\n".join(lines)


@csrf_exempt  # machine to machine: the signature is the proof, not a cookie
@require_POST
def webhook(request):
    if not zalo.verify_signature(request.headers.get("X-ZEvent-Signature", ""), request.body,
                                 getattr(settings, "MOTCUA_ZALO_OA_SECRET", "")):
        return JsonResponse({"code": "bad_signature", "message": "Chữ ký sự kiện không hợp lệ."}, status=403)
    incoming = zalo.parse_event(request.body)
    if incoming is None or not incoming.text.strip():
        return HttpResponse(status=200)  # an event the assistant does not answer (follow, image, …)
    key = _follower_key(incoming.user_id)
    conversation = cache.get(key)
    try:
        if not ratelimit.allow("assistant_zalo", key, settings.MOTCUA_ASSISTANT_RATE):
            return HttpResponse(status=200)  # Zalo retries a non-2xx: a flood is dropped, not answered
        try:
            reply = services.ask(incoming.text[:services.QUESTION_MAX_LENGTH], conversation=conversation,
                                 channel=Conversation.Channel.ZALO)
        except DomainError as error:
            if getattr(error, "code", "") == "conversation_unknown":
                reply = services.ask(incoming.text[:services.QUESTION_MAX_LENGTH], channel=Conversation.Channel.ZALO)
            else:
                raise
        cache.set(key, reply.conversation, CONVERSATION_SECONDS)
        zalo.get_zalo().send_text(incoming.user_id, _message(reply, request))
    except DomainError as error:
        zalo.get_zalo().send_text(incoming.user_id, str(error.message))
    except zalo.ZaloUnavailable as error:
        logger.warning("assistant answer not delivered to Zalo: %s", error)
    return HttpResponse(status=200)
