"""The oversight pages (thin: query → template; form → service → message → redirect)."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from . import queries

SAFE = ("GET", "HEAD")


def _read_only(request):
    """A page that only reads answers other methods 405 — after its object was found in the
    user's scope, so that outside it the object still does not exist (404)."""
    return None if request.method in SAFE else HttpResponseNotAllowed(SAFE)


def plan_detail(request, pk):
    plan = queries.plan_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return render(
        request,
        "oversight/plan_detail.html",
        {"plan": plan, "progress": queries.plan_progress(request.user, plan)},
    )


def inspection_detail(request, pk):
    inspection = queries.inspection_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return render(request, "oversight/inspection_detail.html", {"inspection": inspection})


def recommendation_detail(request, pk):
    recommendation = queries.recommendation_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return render(
        request, "oversight/recommendation_detail.html", {"recommendation": recommendation}
    )


def conference_detail(request, pk):
    conference = queries.conference_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return render(request, "oversight/conference_detail.html", {"conference": conference})
