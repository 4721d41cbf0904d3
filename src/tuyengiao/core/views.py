from django.shortcuts import redirect, render

from tuyengiao.deadlines.queries import state_totals, upcoming
from tuyengiao.org.queries import home_unit


def home(request):
    unit = home_unit(request.user)
    if unit is None:
        return render(request, "core/no_unit.html")
    if request.user.role == "collaborator":
        return redirect("org:unit", pk=unit.pk)
    context = {
        "unit": unit,
        "totals": state_totals(request.user, unit),
        "upcoming": upcoming(request.user, unit, limit=12),
    }
    return render(request, "core/home.html", context)
