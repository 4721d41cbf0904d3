"""Template context: `may`, the scope policy's answers for templates.

`{% if may.define %}` is `can(user, Action.DEFINE)`, for every action of `scope.Action`, so that no
template compares a role. An action's answer is computed when first asked, once per render.
"""

from .scope import Action, can


class Abilities:
    def __init__(self, user):
        self._user = user

    def __getattr__(self, name: str) -> bool:
        try:
            action = Action(name)
        except ValueError:
            raise AttributeError(name) from None
        answer = can(self._user, action)
        setattr(self, name, answer)  # asked again in the same render: no second computation
        return answer


def abilities(request) -> dict:
    user = getattr(request, "user", None)
    return {} if user is None else {"may": Abilities(user)}
