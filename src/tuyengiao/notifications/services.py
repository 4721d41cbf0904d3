"""What the system tells people: reminders of obligations, and handover notices.

Reminders. A run finds, in one query per chunk, the (obligation, person) pairs that are owed a
reminder and have not had it, inserts them with INSERT ... ON CONFLICT DO NOTHING against the unique
constraint (obligation, recipient, kind), each chunk committed by itself, and then mails each
person one digest of every reminder of theirs not yet e-mailed (the outbox: `emailed_at`). A
second run, or one running at the same time, inserts nothing twice; a run killed midway loses
nothing, since what it committed is mailed by the next. A digest is marked sent in the
transaction that holds its rows locked while it is handed to the mail server: another run skips
locked rows, so nothing is mailed twice, unless the process dies between the server's
acceptance and the commit (then that one digest goes out again: at least once, never lost).

Handovers. Every time work passes from one unit to another (a document sent down, a report
sent up, approved or returned, a concern forwarded or answered), the feature's service calls
`handover` inside its transaction: the people of the receiving unit(s) who act on work are
told in the app at once and by e-mail after the commit, each of them once per handover (a
unique constraint on source, event and person).
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tuyengiao.core.stored_text import Message, stored
from tuyengiao.deadlines.models import Obligation, State, state_condition
from tuyengiao.org.models import Unit, User
from tuyengiao.org.scope import Action, roles_for
from tuyengiao.text import format_date

from .models import REMINDER_KINDS, Notification, NotificationKind

logger = logging.getLogger(__name__)


def acting(prefix: str = "") -> Q:
    """The condition on a user (reached through `prefix`, e.g. "unit__users__") who acts on a
    unit's work — is reminded of its obligations and told of the work handed to it: an active
    account whose role acts on obligations (the scope policy says which: not viewers or
    collaborators), attached to the unit itself (not to a unit above it)."""
    roles = roles_for(Action.ACT_ON_OBLIGATIONS)
    return Q(**{f"{prefix}is_active": True, f"{prefix}role__in": roles})


CHUNK = 1000
MAIL_CHUNK = 100
TITLE_LENGTH = Notification._meta.get_field("title").max_length


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"due_soon": self.due_soon, "overdue": self.overdue, "emails": self.emails}


def reminders_owed(today: date, days_before: int):
    """Rows (obligation id, title, title message, due_on, unit name, recipient id, kind) not
    yet sent.

    Due soon: not done and due within `days_before` days (today and the last day included);
    overdue: the OVERDUE state of `state_condition`, the one definition of lateness.
    """
    horizon = today + timedelta(days=days_before)
    kind = Case(
        When(state_condition(State.OVERDUE, today), then=Value(NotificationKind.OVERDUE.value)),
        default=Value(NotificationKind.DUE_SOON.value),
        output_field=CharField(),
    )
    sent = Notification.objects.filter(
        obligation=OuterRef("pk"), recipient=OuterRef("recipient"), kind=OuterRef("reminder")
    )
    return (
        # Pending up to the horizon, or overdue: whatever is not done and due by the horizon.
        Obligation.objects.filter(done_on__isnull=True, due_on__lte=horizon)
        # One filter() call, so both conditions bind the same join to the unit's users, and
        # the annotation below reuses it: one row per (obligation, recipient).
        .filter(acting("unit__users__"))
        .annotate(recipient=F("unit__users__id"), reminder=kind)
        .filter(~Exists(sent))
        .values_list(
            "pk", "title", "title_message", "due_on", "unit__name", "recipient", "reminder"
        )
    )


def _notification(row, batch: uuid.UUID) -> Notification:
    obligation_id, title, title_message, due_on, unit_name, recipient_id, kind = row
    if kind == NotificationKind.OVERDUE:
        heading = gettext_noop("Quá hạn: %(title)s")
        body = _("%(unit)s: đã quá hạn từ ngày %(due)s, chưa hoàn thành.")
    else:
        heading = gettext_noop("Sắp đến hạn: %(title)s")
        body = _("%(unit)s: hạn hoàn thành ngày %(due)s.")
    # The obligation's title as it is shown: made again in the reader's language, if it can be.
    text, kept = stored(Message(heading, title=title_message or title), TITLE_LENGTH)
    values = {"unit": unit_name, "due": format_date(due_on)}
    return Notification(
        recipient_id=recipient_id,
        obligation_id=obligation_id,
        kind=kind,
        title=text,
        title_message=kept,
        body=body % values,
        url=reverse("deadlines:detail", args=[obligation_id]),
        batch=batch,
    )


def send_due_reminders(today: date | None = None, days_before: int | None = None) -> ReminderRun:
    """Send every reminder owed as of `today` that has not been sent; return what was sent.

    Batched: a query and a bulk insert per chunk of CHUNK (obligation, person) pairs, walked in
    key order, then a count and one query for the digests; never a query per obligation or
    per person.
    """
    today = today or timezone.localdate()
    if days_before is None:
        days_before = settings.REMINDER_DAYS_BEFORE
    batch = uuid.uuid4()
    owed = reminders_owed(today, days_before).order_by("pk", "recipient")
    last = (0, 0)
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            after = Q(pk__gt=last[0]) | Q(pk=last[0], recipient__gt=last[1])
            rows = list(owed.filter(after)[:CHUNK])
            if not rows:
                break
            # A chunk per transaction: what is committed stays, whatever happens to the run.
            with transaction.atomic():
                Notification.objects.bulk_create(
                    [_notification(row, batch) for row in rows], ignore_conflicts=True
                )
            last = (rows[-1][0], rows[-1][5])
    counts = dict(
        Notification.objects.filter(batch=batch)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    run = ReminderRun(
        due_soon=counts.get(NotificationKind.DUE_SOON, 0),
        overdue=counts.get(NotificationKind.OVERDUE, 0),
    )
    run.emails = send_digests(unmailed_reminders())
    return run


def unmailed_reminders() -> QuerySet:
    """Reminders not yet e-mailed, this run's and those of a run that died before mailing."""
    return Notification.objects.filter(kind__in=REMINDER_KINDS, emailed_at__isnull=True)


def notify(recipient_ids, *, kind: str, title, body: str = "", url: str = "") -> uuid.UUID:
    """Tell each person something now: in the app at once, by e-mail through the task queue
    once the transaction commits (a slow mail server never holds up the request). `title` is
    text, or a `core.stored_text.Message`, shown then in each reader's language."""
    batch = uuid.uuid4()
    text, kept = stored(title, TITLE_LENGTH)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            title=text,
            title_message=kept,
            body=body,
            url=url,
            batch=batch,
        )
        for pk in sorted(set(recipient_ids))
    )
    _mail_after_commit(batch)
    return batch


def _mail_after_commit(batch: uuid.UUID) -> None:
    from .tasks import mail_batch

    transaction.on_commit(lambda: mail_batch.enqueue(str(batch)))


# Handovers --------------------------------------------------------------------------------


def site_language():
    """A handover notice is written once for everyone it tells, so in the site's language (as
    the reminders are), not in the language the actor happens to browse in."""
    return translation.override(settings.LANGUAGE_CODE)


def _unit_ids(to_units) -> QuerySet | list[int]:
    if isinstance(to_units, QuerySet):
        return to_units.values("pk")
    if to_units is None or isinstance(to_units, Unit | int):
        to_units = [to_units]
    return sorted({u if isinstance(u, int) else u.pk for u in to_units if u is not None})


def acting_people(to_units) -> QuerySet:
    """The people who act on the work of these units (a Unit, a unit id, several, or a query
    of units): active staff, managers and administrators attached to one of them."""
    return User.objects.filter(acting(), unit__in=_unit_ids(to_units))


def handover(
    *,
    to_units: Unit | int | Iterable[Unit | int] | QuerySet,
    kind: str,
    title,
    body: str = "",
    url: str = "",
    source: Model | None = None,
    event: str = "",
    actor=None,
) -> uuid.UUID:
    """Tell the receiving unit(s) that work has reached them; the batch of what was inserted.

    Everyone of `acting_people(to_units)` but the `actor` (never told of their own action) gets
    one notice: in the app at once, by e-mail (one per person with an address) through the task
    queue after the commit; `notifications.queries.told_in(batch)` says who. `title` is text, or
    a `core.stored_text.Message`: shown then in each reader's language, the e-mail saying it in
    the site's. With a
    `source`, each (source, event, person) is told once: a service run again, or twice at once,
    tells nobody a second time, and `event` names which handover of the source this is ("send";
    "submit:7" for the seventh version of a report, sent again after a correction).

    One statement (INSERT ... SELECT ... ON CONFLICT DO NOTHING) whatever the number of units
    and people: a document sent to 1,400 units does not become a query per unit or per person.
    """
    if (source is None) != (not event):
        raise ValueError("a handover names its source and its event together")
    people = acting_people(to_units)
    if actor is not None and actor.pk is not None:
        people = people.exclude(pk=actor.pk)
    batch = uuid.uuid4()
    field = Notification._meta.get_field
    text, kept = stored(title, TITLE_LENGTH)
    constants = {
        "kind": kind,
        "title": text,
        # SQL NULL when nothing is kept (the field would write JSON null).
        "title_message": None
        if kept is None
        else field("title_message").get_db_prep_value(kept, connection),
        "body": body,
        "url": url[:500],
        "created_at": field("created_at").get_db_prep_value(timezone.now(), connection),
        "batch": field("batch").get_db_prep_value(batch, connection),
        "source_type_id": ContentType.objects.get_for_model(source).pk if source else None,
        "source_id": source.pk if source else None,
        "event": event,
    }
    select, params = people.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ["recipient_id", *constants])
    user_id = f"{quote(User._meta.db_table)}.{quote('id')}"
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
        f"SELECT {user_id}, {', '.join(['%s'] * len(constants))} "
        f"FROM {quote(User._meta.db_table)} WHERE {user_id} IN ({select}) "
        # The WHERE above also keeps SQLite from reading ON as the start of a join constraint.
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), *params])
        told = cursor.rowcount
    if told:
        _mail_after_commit(batch)
    return batch


def _digest(recipient, notifications: list[Notification]) -> EmailMessage:
    site = settings.SITE_URL.rstrip("/")
    n = len(notifications)
    if all(note.kind in REMINDER_KINDS for note in notifications):
        subject = ngettext(
            "[Tuyên giáo] %(n)d nhắc việc mới", "[Tuyên giáo] %(n)d nhắc việc mới", n
        ) % {"n": n}
        heading = _("Các việc cần chú ý:")
    else:
        subject = ngettext(
            "[Tuyên giáo] %(n)d thông báo mới", "[Tuyên giáo] %(n)d thông báo mới", n
        ) % {"n": n}
        heading = _("Thông báo mới:")
    lines = [
        _("Kính gửi %(name)s,") % {"name": recipient.get_full_name() or recipient.username},
        "",
        heading,
        "",
    ]
    for note in notifications:
        lines += [f"- {note.title}", "  " + note.body.replace("\n", "\n  ")]
        if note.url:
            lines.append(f"  {site}{note.url}")
        lines.append("")
    lines.append(_("Xem tất cả thông báo: %(url)s") % {"url": site + reverse("notifications:list")})
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def send_digests(notices: uuid.UUID | QuerySet) -> int:
    """One e-mail to each person with an address, listing their notices not yet e-mailed among
    `notices` (a batch, or a query); the number sent. Each person's notices are marked e-mailed
    in the transaction that locks them while the digest is handed over; notices another run
    holds are skipped, and a digest the mail server refuses stays for the next run."""
    if isinstance(notices, uuid.UUID):
        notices = Notification.objects.filter(batch=notices)
    notices = notices.filter(emailed_at__isnull=True)
    # Nothing to send to a person without an address: marked, so no run looks at it again.
    notices.filter(recipient__email="").update(emailed_at=timezone.now())
    people = list(
        notices.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()
    )
    mail = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        return sum(_mail_person(mail, notices, person) for person in people)


def _mail_person(mail, notices: QuerySet, person: int) -> int:
    """Hand one person's digest to the mail server and mark it, in one transaction."""
    with transaction.atomic():
        notes = list(
            notices.filter(recipient_id=person)
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("kind", "id")
        )
        if not notes or not _deliver(mail, [_digest(notes[0].recipient, notes)]):
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
    return 1


def _deliver(connection, messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        return connection.send_messages(messages) or 0
    except Exception:
        # The notices are in the app already; unmarked, the next reminder run mails them.
        logger.exception("could not send %d e-mails", len(messages))
        return 0


def mark_read(user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("a notification is read only by its recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
