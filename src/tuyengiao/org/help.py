"""The help page ("Hướng dẫn"): what to do first, the states of work and what late means, how
numbers and dates are typed. Each reader sees the parts for what their role allows (`may`)."""

from django.conf import settings
from django.shortcuts import render

from tuyengiao.deadlines.models import State

from .access import collaborator_allowed


@collaborator_allowed
def help_page(request):
    context = {
        "states": list(State),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "org/help.html", context)
