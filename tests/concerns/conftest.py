"""Reports of public concern over the test world (see tests/conftest.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tuyengiao.concerns.models import Mood, Source, Spread, Topic, Urgency
from tuyengiao.concerns.services import report_submit
from tuyengiao.org.models import Role

from ..factories import UserFactory


def topic(code: str = "moi-truong") -> Topic:
    """One of the topics the migration creates (moi-truong, dat-dai, gia-ca-doi-song, ...)."""
    return Topic.objects.get(code=code)


def submit(reporter, *, unit=None, title="Khói bụi từ nhà máy gạch", content=None, **kw):
    """A report sent through the service, as the form and the API send it; the report."""
    fields = {
        "topic": topic(),
        "spread": Spread.LOCAL,
        "mood": Mood.DISCONTENT,
        "source": Source.DAILY_LIFE,
        "urgency": Urgency.NORMAL,
    }
    fields.update(kw)
    report, _created = report_submit(
        actor=reporter,
        unit=unit or reporter.unit,
        title=title,
        content=content or f"Người dân phản ánh: {title.lower()}.",
        **fields,
    )
    return report


def png() -> SimpleUploadedFile:
    """A small photo as a phone would upload it."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, "PNG")
    return SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def collaborator2(world):
    """A second collaborator, in the other commune of Tỉnh A."""
    return UserFactory(username="ctv2", unit=world.commune2, role=Role.COLLABORATOR)
