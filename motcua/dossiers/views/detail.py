"""One dossier: its page, its documents and its actions (the registry in `actions.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.core import privacy, uploads
from motcua.core.errors import Conflict, DomainError, NotFound

from .. import actions, policies, selectors, services, slips
from .. import page_selectors as pages
from ..forms import VersionForm
from ..services import deadlines
from .common import staff_page


def _action_form(action: actions.Action, dossier, *args, **kwargs) -> VersionForm:
    return action.form(*args, dossier=dossier, **kwargs)


def _detail_context(request, dossier, *, failed: str = "", form=None, error=None) -> dict:
    offered = pages.available_actions(request.user, dossier)
    action_list = []
    for action in actions.REGISTRY.values():
        if action.name not in offered or action.name == "answer_consultation":  # answered question by question
            continue
        bound = form if action.name == failed and form is not None else _action_form(
            action, dossier, prefix=action.name, initial={"version": dossier.version})
        action_list.append({"name": action.name, "label": action.label, "form": bound, "open": action.name == failed,
                            "simple": len(bound.fields) == 1, "danger": action.danger,
                            "multipart": action.multipart})
    questions = policies.questions_for(request.user, dossier) if "answer_consultation" in offered else []
    answer_forms = [(q, actions.get("answer_consultation").form(
        prefix=f"answer-{q.pk}", initial={"version": dossier.version, "consultation": q.pk})) for q in questions]
    personal = policies.may_see_personal_data(request.user, dossier)
    return {
        "dossier": dossier, "actions": action_list, "answer_forms": answer_forms, "error": error, "failed": failed,
        "failed_label": actions.REGISTRY[failed].label if failed and form is not None and form.errors else "",
        "conflict": isinstance(error, Conflict) and error.code == "conflict", "personal": personal,
        "id_shown": dossier.applicant_id_number if personal else privacy.mask(dossier.applicant_id_number),
        "steps": selectors.steps_of(dossier), "documents": dossier.documents.all(),
        "consultations": dossier.consultations.select_related("agency"),
        "supplement": getattr(dossier, "supplement", None), "urgency": deadlines.urgency(dossier),
        "refusal_kind": slips.refusal_kind(dossier),
    }


@staff_page("inbox")
def detail(request, code: str):
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


@login_required
def document(request, code: str, document_id: int):
    """One uploaded document of a dossier, for whoever may see the dossier (its applicant too); audited."""
    try:
        opened = services.open_document(request.user, code, document_id, via="page")
    except NotFound as exc:
        raise Http404 from exc
    return uploads.document_response(opened.handle, opened.filename, opened.content_type)


@staff_page("inbox")
@require_POST
def act(request, code: str, action: str):
    """One action form of the dossier page: validate, call the service, back to the page (or show why not)."""
    if action not in actions.REGISTRY:
        raise Http404
    registered = actions.REGISTRY[action]
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    prefix = action
    if action == "answer_consultation":
        prefix = "answer-" + "".join(ch for ch in request.POST.get("prefix", "") if ch.isdigit())
    form = _action_form(registered, dossier, request.POST, request.FILES, prefix=prefix)
    error = None
    if form.is_valid():
        try:
            actions.perform(request.user, code, action, actions.ActionInput.of(form.action_data()))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, str(registered.done))
            return redirect("dossier-detail", code=code)
    context = _detail_context(request, selectors.get_dossier(request.user, code) if error else dossier,
                              failed=action if action != "answer_consultation" else "", form=form, error=error)
    status = getattr(error, "status", 422)
    return render(request, "dossiers/detail.html", context, status=status)
