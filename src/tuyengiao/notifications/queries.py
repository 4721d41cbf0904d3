"""Reads of notifications: a person only ever sees their own."""

from .models import Notification


def notifications_for(user):
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def told_in(batch):
    """The ids of the people one `notify` or `handover` call told (a query, for a subquery)."""
    return Notification.objects.filter(batch=batch).values("recipient_id")
