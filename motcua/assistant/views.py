"""The chat widget (on every page, see templates/assistant/widget.html) and its page without JavaScript."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, page_status

from . import services
from .models import Conversation


def _exchange(request) -> tuple[dict, int]:
    question = request.POST.get("question", "")
    conversation = request.POST.get("conversation") or None
    try:
        # One budget per client with the API: the same scope.
        ratelimit.enforce("assistant", client_address(request), settings.MOTCUA_ASSISTANT_RATE)
        reply = services.ask(question, conversation=conversation, channel=Conversation.Channel.WEB)
    except DomainError as error:
        return {"question": question[:services.QUESTION_MAX_LENGTH], "error": error.message,
                "conversation": conversation or ""}, page_status(error, 200)
    return {"question": question, "reply": reply, "conversation": reply.conversation}, 200


@require_http_methods(["POST"])
def ask(request):
    """The widget's question (HTMX): the exchange to append, and the form again (out of band)."""
    context, status = _exchange(request)
    return render(request, "assistant/_exchange.html", {**context, "oob": True}, status=status)


@require_http_methods(["GET", "POST"])
def page(request):
    """The assistant on a page of its own: what the widget's form falls back to without JavaScript."""
    context, status = _exchange(request) if request.method == "POST" else ({}, 200)
    return render(request, "assistant/page.html", {**context, "on_assistant_page": True}, status=status)
