"""The demo: one real province, generated party cells, accounts and a year of work in every
app (tasks, documents, figures, public concerns, inspections and conferences, outreach,
political-theory classes, the narrative reports).

Deterministic: the same date gives the same data. Running it again reuses what exists. This
package sits above everything: it may import every app, and nothing imports it.
"""

from datetime import date, datetime

from django.utils import timezone

from tuyengiao.figures import sources
from tuyengiao.org.models import User

from .concerns import build_concerns
from .directives import build_directives
from .figures import build_figures
from .narratives import build_narratives
from .org import DemoAccount, build_accounts, build_obligations, build_structure
from .outreach import build_outreach
from .oversight import build_oversight
from .training import build_training


def build_demo(
    today: date | None = None, now: datetime | None = None
) -> list[tuple[DemoAccount, User]]:
    """`now` is the moment the demo is loaded: no timestamp it makes is later."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    province = build_structure()
    accounts = build_accounts(province)
    build_obligations(province, today)
    build_directives(province, today)
    build_figures(province, today, now)
    manager = User.objects.get(username="tinh.quanly")
    build_concerns(province, today, manager, now)
    build_oversight(province, today, now)
    build_outreach(province, today)
    build_training(province, today)
    # The demo backdates some records in bulk: count the record-backed figures once more.
    sources.rebuild()
    build_narratives(province, today)
    return accounts
