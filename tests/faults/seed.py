"""Minimal data for a live server in the fault tests: `python -m tests.faults.seed` prints what
the test needs (ids, an API token, a session cookie) as JSON. Run with DATABASE_URL set."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyengiao.settings")


def main() -> None:
    import django

    django.setup()
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from tests.conftest import build_world
    from tests.figures.conftest import build_forms
    from tuyengiao.figures.services import report_open, report_save
    from tuyengiao.periods import Period

    world = build_world()
    forms = build_forms()
    report = report_open(
        actor=world.commune_staff,
        data_set=forms.monthly,
        unit=world.cell,
        period=Period.parse("2026-01"),
    )
    report_save(
        actor=world.commune_staff,
        report=report,
        entries={"LOP_KH": "3", "LOP_TH": "2", "HV_CHITIEU": "40"},
        version=0,
    )
    client = Client()
    client.force_login(world.commune_staff)
    print(
        json.dumps(
            {
                "report": report.pk,
                "root": world.root.pk,
                "token": Token.objects.create(user=world.commune_staff).key,
                "session": client.cookies["sessionid"].value,
            }
        )
    )


if __name__ == "__main__":
    main()
