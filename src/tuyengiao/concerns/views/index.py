from django.shortcuts import redirect

from tuyengiao.org.scope import Action, can

from ..queries import is_collaborator


def index(request):
    """Collaborators land on what they reported; the office on its triage queue."""
    if is_collaborator(request.user) or not can(request.user, Action.CHANGE):
        return redirect("concerns:mine")
    return redirect("concerns:triage")
