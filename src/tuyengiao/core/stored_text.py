"""Text stored once and shown in each reader's language: the titles of obligations and notices.

A title is written when its row is made, in the site's language (Vietnamese), and kept as text:
the e-mails, the search, the audit log and the rows made before this module read it as it is.
Beside it the row keeps what the title was made from (`as_json()`, a JSON column), and a page
shows `render(stored, text)`: the same title made again in the reader's language, or `text`
when nothing was kept (old rows, a task typed by hand) or what was kept cannot be read.

What a title is made from:
  - `Message(gettext_noop("Văn bản mới: %(symbol)s %(title)s"), symbol=…, title=…)`: a msgid
    (marked with gettext_noop, so that makemessages finds it) and its parameters;
  - a parameter is text as typed (a document's title, a concern's: never translated), or one of
    the parts below, translated in its turn:
  - `label(StepKind.PLAN.label)`: a label of the interface (a choice's, a state's), by its msgid;
  - `period(p)`: a period's name (core.period_names.period_label);
  - `report(name, p)`: a unit's report of a form for a period (report_title_label);
  - a `Message`, or what `as_json()` of one gave (a reminder holds its obligation's title).

    title = Message(gettext_noop("%(step)s %(symbol)s"), step=label(kind.label), symbol=s)
    text, kept = stored(title)  # the site's language, and the JSON to keep beside it
    render(kept, text)          # in the reader's language
"""

import logging
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

from .period_names import period_label, report_title_label

logger = logging.getLogger(__name__)


class Message:
    """A msgid and its parameters (text, or parts to translate in their turn)."""

    def __init__(self, msgid: str, *, context: str = "", **params):
        self.msgid, self.context, self.params = str(msgid), context, params

    def as_json(self) -> dict:
        data = {"id": self.msgid, "args": {k: _json(v) for k, v in self.params.items()}}
        if self.context:
            data["context"] = self.context
        return data

    def text(self) -> str:
        """The message in the active language."""
        return render_part(self.as_json())


def label(value) -> dict:
    """A label of the interface (a lazy gettext string, a choice's label), by its msgid."""
    with translation.override(None):
        return {"label": str(value)}


def period(value) -> dict:
    return {"period": str(getattr(value, "id", value))}


def report(name: str, value) -> dict:
    return {"report": [name, str(getattr(value, "id", value))]}


def _json(value) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, dict | str | int | float) or value is None:
        return value
    return str(value)


def as_json(value) -> Any:
    """What to keep of a title: a Message's JSON, a part as it is; None for plain text."""
    return None if isinstance(value, str) else _json(value)


def render_part(part) -> str:
    """A part in the active language; raises on what it cannot read (`render` falls back to the
    stored text then)."""
    if isinstance(part, str):
        return part
    if isinstance(part, int | float):
        return str(part)
    if "id" in part:
        msgid, context = part["id"], part.get("context", "")
        template = pgettext(context, msgid) if context else gettext(msgid)
        return template % {k: render_part(v) for k, v in part.get("args", {}).items()}
    if "label" in part:
        return gettext(part["label"])
    if "period" in part:
        return period_label(part["period"])
    if "report" in part:
        name, period_id = part["report"]
        return report_title_label(name, period_id)
    raise KeyError(f"unknown part {sorted(part)}")


def render(kept, text: str) -> str:
    """The title in the active language: made again from what was `kept`, else `text`."""
    if not kept:
        return text
    try:
        return render_part(kept)
    except Exception:  # a title never breaks a page: what was stored is shown instead
        logger.warning("a stored title could not be made again: %r", kept)
        return text


def stored(title, limit: int | None = None) -> tuple[str, Any]:
    """(text in the site's language, what to keep beside it) for a title: a plain string
    (kept: None), a `Message` or a part."""
    if isinstance(title, str):
        return (title[:limit] if limit else title), None
    kept = as_json(title)
    with translation.override(settings.LANGUAGE_CODE):
        text = render_part(kept)
    return (text[:limit] if limit else text), kept
