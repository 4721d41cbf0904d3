from django.shortcuts import redirect

from tuyengiao.org.scope import Action, can


def index(request):
    """The office lands on its triage queue; whoever does not triage on what they reported."""
    if not can(request.user, Action.TRIAGE):
        return redirect("concerns:mine")
    return redirect("concerns:triage")
