"""Assistant API: ask a question, anonymously (no account, no CSRF token), limited per client address."""

from django.conf import settings
from ninja import Field, Router, Schema

from motcua.core.api import ErrorOut
from motcua.core.ratelimit import ClientRateThrottle

from . import services
from .models import Conversation

router = Router(tags=["assistant"])

THROTTLE = [ClientRateThrottle(lambda: settings.MOTCUA_ASSISTANT_RATE, "assistant")]


class AskIn(Schema):
    question: str = Field(max_length=2000, description="The question, in Vietnamese, as typed (diacritics optional)")
    conversation: str | None = Field(None, max_length=64,
                                     description="The `conversation` of a previous answer, to follow on from it")


class ProcedureOut(Schema):
    code: str
    name: str
    score: float


class LinkOut(Schema):
    title: str
    url: str


class AnswerOut(Schema):
    answer: str
    intent: str = Field(description="status, complaint, hours, fees, time, documents, waits, where, procedure, "
                                    "elsewhere, greeting or unknown")
    procedures: list[ProcedureOut] = Field(description="Best first")
    links: list[LinkOut] = Field(description="Where each fact of the answer is shown")
    conversation: str


def answer_out(reply: services.Reply) -> dict:
    return {"answer": reply.answer, "intent": reply.intent,
            "procedures": [{"code": m.code, "name": m.name, "score": m.score} for m in reply.procedures],
            "links": [{"title": link.title, "url": link.url} for link in reply.links],
            "conversation": reply.conversation}


@router.post("/assistant/ask", auth=None, throttle=THROTTLE,
             response={200: AnswerOut, 422: ErrorOut, 429: ErrorOut},
             summary="Ask the assistant: which procedure, its documents, fees, time, where to file, hours, "
                     "waits, a dossier's status (with its tracking key)")
def ask(request, payload: AskIn):
    reply = services.ask(payload.question, conversation=payload.conversation, channel=Conversation.Channel.API)
    return answer_out(reply)
