from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Procedure

PAGE_SIZE = 20


def procedure_list(request):
    """Public catalog: search as you type (HTMX swaps the results fragment)."""
    q = request.GET.get("q", "")[:200]
    field = request.GET.get("field") or None
    level = request.GET.get("level") or None
    if level not in {None, *Procedure.Level.values}:
        level = None
    status = request.GET.get("status") or Procedure.Status.OPERATIONAL
    if status not in {"all", *Procedure.Status.values}:
        status = Procedure.Status.OPERATIONAL
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    page = selectors.search_procedures(q=q, field=field, level=level, status=None if status == "all" else status,
                                       offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    paginator = Paginator(range(page.count), PAGE_SIZE)
    context = {
        "q": q, "field": field, "level": level, "status": status, "page": page,
        "page_obj": paginator.get_page(page_number), "fields": selectors.list_fields(),
        "levels": Procedure.Level.choices, "statuses": Procedure.Status.choices,
    }
    template = "catalog/procedure_list.html#results" if request.headers.get("HX-Request") else \
        "catalog/procedure_list.html"
    return render(request, template, context)


def procedure_detail(request, code):
    procedure = selectors.get_procedure(code)
    if procedure is None:
        raise Http404
    return render(request, "catalog/procedure_detail.html", {"procedure": procedure})
