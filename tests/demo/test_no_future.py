"""The demo is never ahead of the clock: loaded early in the morning, no report is "received"
at noon that day (it sorted above the new ones), and nothing else it makes is later either."""

import pytest
from django.apps import apps
from django.db import models

from tests.clock import moment
from tuyengiao.demo.build import build_demo

# 06:05 in Vietnam: the demo's reports of the day were stamped between 07:00 and 20:45.
LOADED = moment("2026-12-06").replace(minute=5)


@pytest.mark.time_machine(LOADED.timestamp(), tick=False)
def test_no_demo_timestamp_is_after_the_moment_it_is_loaded(db):
    build_demo()
    checked = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if type(field) is not models.DateTimeField:
                continue
            later = model._default_manager.filter(**{f"{field.name}__gt": LOADED})
            assert not later.exists(), (
                model.__name__,
                field.name,
                list(later.values_list(field.name, flat=True)[:5]),
            )
            checked += model._default_manager.filter(**{f"{field.name}__isnull": False}).count()
    assert checked > 10_000
    # Done and submitted days are days, and none is after the day either.
    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.figures.models import Report

    assert not Obligation.objects.filter(done_on__gt=LOADED.date()).exists()
    assert not Report.objects.filter(submitted_on__gt=LOADED.date()).exists()
    # The reports of that morning are there, before it.
    from tuyengiao.concerns.models import ConcernReport

    assert ConcernReport.objects.filter(created_at__date=LOADED.date()).exists()
