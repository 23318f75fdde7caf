from django.shortcuts import render

from . import selectors


def branch_list(request):
    points = selectors.list_service_points()
    return render(request, "org/branch_list.html", {"branches": selectors.list_branches(), "points": points})
