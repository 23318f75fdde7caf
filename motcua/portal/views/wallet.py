"""The document wallet pages: the citizen's papers, adding one, opening one, filing with them.

Thin views over `portal.services.wallet`; a filing goes through the dossiers' intake service.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from motcua.catalog.selectors import search_procedures
from motcua.core import roles, uploads
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.dossiers import page_selectors as dossier_pages
from motcua.dossiers.forms import OnlineSubmissionForm, fee_declaration, page_problems

from .. import policies
from ..forms import PaperForm
from ..models import ResultDelivery, WalletDocument
from ..selectors import wallet as wallet_selectors
from ..services import wallet


def citizen_page(view):
    """Login, then a citizen linked to a person: a 403 page naming the problem otherwise."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.has_role(request.user, roles.CITIZEN):
            return render(
                request, "portal/forbidden.html", {"message": PermissionDenied().message}, status=403
            )
        person = policies.person_of(request.user)
        if person is None:
            return render(request, "portal/no_person.html", status=403)
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, form=None, error=None, status=200):
    papers = wallet.wallet_of(request.user)
    return render(
        request,
        "portal/wallet.html",
        {
            "person": request.person,
            "papers": papers,
            "form": form or PaperForm(),
            "error": error,
            "registry": wallet.registry_papers(request.user),
            "expiring": wallet_selectors.expiring(papers),
            "added": request.GET.get("added") == "1",
            "posted": set(
                ResultDelivery.objects.filter(person=request.person).values_list("dossier_id", flat=True)
            ),
        },
        status=status,
    )


@citizen_page
def wallet_page(request):
    """The citizen's papers (results and their own), what the registry holds, what expires soon."""
    return _page(request)


@citizen_page
@require_POST
def add_paper(request):
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            wallet.add_paper(request.user, form.paper(), request.FILES.get("file"))
        except DomainError as exc:
            for problem in exc.details or []:
                if problem.get("field") in form.fields:
                    form.add_error(problem["field"], problem["message"])
            return _page(request, form, exc, status=422)
        return redirect(reverse("portal-wallet") + "?added=1")
    return _page(request, form, status=422)


@citizen_page
def open_paper(request, document_id: int):
    try:
        opened = wallet.open_paper(request.user, document_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    return uploads.document_response(opened.handle, opened.filename, opened.content_type)


@citizen_page
@require_POST
def remove_paper(request, document_id: int):
    try:
        wallet.remove_paper(request.user, document_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    return redirect("portal-wallet")


# --- filing a new dossier with papers from the wallet ---------------------------------------------


def _uploaded(request) -> dict[int, list]:
    return {
        int(key.split(".", 1)[1]): request.FILES.getlist(key)
        for key in request.FILES
        if key.startswith("document.") and key.split(".", 1)[1].isdigit()
    }


def _picked(data) -> dict[int, list[str]]:
    picks: dict[int, list[str]] = {}
    for key in data:
        if key.startswith("wallet.") and key.split(".", 1)[1].isdigit():
            values = [value for value in data.getlist(key) if value][:5]
            if values:
                picks[int(key.split(".", 1)[1])] = values
    return picks


def _choices(papers: list[WalletDocument], earlier: dict, picks: dict[int, list[str]], checklist: list[dict]):
    """Per checklist row, the papers the citizen can give instead of a file, the chosen one marked."""
    usable = [paper for paper in papers if paper.file or paper.source == WalletDocument.Source.RESULT]
    for item in checklist:
        position = item["document"].position
        chosen = set(picks.get(position, []))
        options = [
            {"value": f"w:{paper.pk}", "paper": paper, "selected": f"w:{paper.pk}" in chosen}
            for paper in usable
        ]
        options += [
            {"value": f"d:{document.pk}", "earlier": document, "selected": True}
            for value in chosen
            if value.startswith("d:") and value[2:].isdigit()
            for document in [earlier.get(int(value[2:]))]
            if document is not None
        ]
        item["wallet_options"] = options
    return checklist


@citizen_page
def file_with_wallet(request, repeat: str = ""):
    """File a dossier online, each document uploaded or given from the wallet with one tap.

    With a `repeat` code: the earlier dossier's procedure, details and documents, ready to file again.
    """
    person = request.person
    earlier = None
    picks: dict[int, list[str]] = {}
    if request.method == "POST":
        form = OnlineSubmissionForm(request.POST)
        picks = _picked(request.POST)
    else:
        initial = {
            "procedure": request.GET.get("procedure", "")[:40],
            "name": person.full_name,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
        }
        if repeat:
            try:
                earlier = wallet.repeat_of(request.user, repeat)
            except NotFound as exc:
                raise Http404 from exc
            initial.update({key: value for key, value in earlier.initial.items() if value})
            picks = earlier.picks
        form = OnlineSubmissionForm(initial=initial)
    errors, problems = {}, []
    if form.is_bound:
        error = None
        try:
            if form.is_valid():
                dossier = wallet.file_with_wallet(
                    request.user,
                    form.submission(person, fee_declaration(request.POST)),
                    _uploaded(request),
                    picks,
                )
                return redirect(reverse("dossier-online") + "?" + urlencode({"done": dossier.code}))
            wallet.check_with_wallet(
                request.user,
                form.submission(person, fee_declaration(request.POST)),
                _uploaded(request),
                picks,
            )
        except DomainError as exc:
            error = exc
        errors, problems = page_problems(form, error, skip=("procedure",))
    procedure_code = (form.data.get("procedure") if form.is_bound else form.initial.get("procedure")) or ""
    procedure = dossier_pages.operational_procedure(procedure_code)
    papers = wallet.wallet_of(request.user)
    registry = wallet.registry_papers(request.user)
    checklist = (
        dossier_pages.procedure_checklist(procedure, registry.record is not None, errors) if procedure else []
    )
    earlier_ids = [
        int(v[2:]) for values in picks.values() for v in values if v.startswith("d:") and v[2:].isdigit()
    ]
    checklist = _choices(papers, wallet.earlier_documents(request.user, earlier_ids), picks, checklist)
    q = request.GET.get("q", "").strip()[:100] if procedure is None else ""
    found = search_procedures(q=q, status="operational", limit=8) if q else None
    return render(
        request,
        "portal/file.html",
        {
            "q": q,
            "found": found,
            "person": person,
            "form": form,
            "procedure": procedure,
            "errors": errors,
            "problems": problems,
            "checklist": checklist,
            "earlier": earlier.dossier if earlier else None,
            "action": request.path,
        },
        status=422 if form.is_bound else 200,
    )
