"""Template context: the unread counter of the top bar."""

from functools import cache

from . import queries


def unread_count(request) -> dict:
    """`unread_notifications`: the user's unread count, counted (one COUNT) only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": cache(lambda: queries.unread_count(user))}
