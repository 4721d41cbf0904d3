"""Conferences: one conference's page (the list and the forms come with the conference work)."""

from django.shortcuts import render

from .. import queries
from .common import read_only


def conference_detail(request, pk: int):
    conference = queries.conference_for(request.user, pk)
    if refused := read_only(request):
        return refused
    context = {
        "conference": conference,
        "unit": conference.unit,
        "documents": queries.conference_documents(request.user, conference),
        "tasks": queries.recommendations_of(conference=conference),
    }
    return render(request, "oversight/conference_detail.html", context)
