from django.shortcuts import redirect, render

from tuyengiao.deadlines.queries import state_totals, upcoming
from tuyengiao.org.access import collaborator_allowed
from tuyengiao.org.queries import home_unit
from tuyengiao.org.scope import Action, can


@collaborator_allowed
def home(request):
    """The unit's overview; for a collaborator, who reads nothing of the office, the report page."""
    unit = home_unit(request.user)
    if unit is None:
        return render(request, "core/no_unit.html")
    if not can(request.user, Action.VIEW):
        return redirect("concerns:new")
    context = {
        "unit": unit,
        "totals": state_totals(request.user, unit),
        "upcoming": upcoming(request.user, unit, limit=12),
    }
    return render(request, "core/home.html", context)
