"""Photos of reports: refused by their header when too large (before anything is decoded), on the
page and through the API alike; sent back as downloads, in scope, never from /media/."""

import io
from urllib.parse import unquote

import pytest
from PIL import Image

from tuyengiao.concerns.models import ConcernReport

from .conftest import png, submit
from .test_api import REPORTS, client_for, report_body
from .test_intake_views import NEW, data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def huge_png(name: str = "anh.png") -> io.BytesIO:
    """12,000 × 12,000 pixels in some 17 KB: what a phone never takes, and 144 MB decoded."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    out.seek(0)
    out.name = name
    return out


def test_a_12000_px_png_is_refused_as_too_large_by_the_api_and_nothing_is_stored(world):
    body = report_body(photos=[huge_png()])
    response = client_for(world.collaborator).post(REPORTS, body, format="multipart")
    assert response.status_code == 400
    [message] = response.json()["errors"]["photos"]
    assert message.startswith("Ảnh quá lớn (144.000.000 điểm ảnh)")
    assert not ConcernReport.objects.exists()


def test_a_12000_px_png_is_refused_as_too_large_on_the_page(client, world):
    client.force_login(world.collaborator)
    response = client.post(NEW, data(world, photos=[huge_png()]))
    assert response.status_code == 200
    assert "Ảnh quá lớn (144.000.000 điểm ảnh)" in response.content.decode()
    assert not ConcernReport.objects.exists()


def test_a_photo_goes_out_as_a_download_of_a_jpeg_on_the_page_and_through_the_api(client, world):
    report = submit(world.collaborator, photos=[png()])
    photo = report.photos.get()
    client.force_login(world.province_manager)
    page = client.get(f"/concerns/photos/{photo.pk}/")
    api = client_for(world.collaborator).get(f"{REPORTS}{report.pk}/photos/{photo.pk}/")
    for response in (page, api):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("private")
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="')
        name = unquote(disposition.split("filename*=UTF-8''")[1])
        assert name == f"phan-anh-{report.pk}-anh-{photo.pk}.jpg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_an_id_past_64_bits_is_no_photo(world):
    report = submit(world.collaborator, photos=[png()])
    url = f"{REPORTS}{report.pk}/photos/{2**64}/"
    assert client_for(world.collaborator).get(url).status_code == 404
