"""Reading an id from what a browser or a client sent: one rule for every page and the API.

`str.isdigit()` is not that rule: it accepts "²" and other scripts' digits, which `int()` then
refuses, and it accepts numbers that no 64-bit column holds, which the database refuses.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # the largest value of a BigAutoField on every supported database
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(raw) -> int | None:
    """`raw` as an object id (1 … 2⁶³−1), or None when it is not one."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_ID else None
    text = str(raw).strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def id_param(name: str, raw) -> int:
    """An id sent as parameter `name`; a ValidationError naming the parameter when it is not
    one (the API answers it 400, by field)."""
    value = parse_id(raw)
    if value is None:
        raise ValidationError({name: _("Phải là một số nguyên dương (mã số).")})
    return value


def period_asked(request, today):
    """The page's `?period=` (any Period id), this year when absent; an unreadable one is said
    in a message and this year shown."""
    from django.contrib import messages

    from tuyengiao.periods import Period

    raw = (request.GET.get("period") or "").strip()
    if raw:
        try:
            return Period.parse(raw)
        except ValueError as exc:
            messages.error(request, str(exc))
    return Period.of("year", today)
