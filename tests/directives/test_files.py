"""A document's file and a step's report file: checked by content when uploaded, sent back only
to whoever may see the document or step, as a download, never from a public /media/ URL."""

from datetime import date
from urllib.parse import unquote

import pytest
from rest_framework.test import APIClient

from tests.clock import on_day
from tests.factories import send
from tests.uploads import DOCX_BYTES, HTML_BYTES, OLE2_BYTES, PDF_BYTES, html_named, pdf, upload
from tuyengiao.directives.models import Directive, Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register

pytestmark = on_day("2026-05-01")

TITLE = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def register(world, attachment=None) -> Directive:
    return directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="05-CT/TW",
        issued_on=date(2016, 5, 15),
        title=TITLE,
        attachment=attachment,
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def filename(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])


def assert_download(response, content: bytes, content_type: str, name: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert filename(response) == name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert body(response) == content


# Registering -----------------------------------------------------------------------------------


def test_an_html_file_named_pdf_is_refused_on_the_page_and_nothing_is_registered(client, world):
    client.force_login(world.province_manager)
    response = client.post(
        "/directives/new/",
        {
            "symbol": "05-CT/TW",
            "issued_on": "15/5/2016",
            "title": TITLE,
            "attachment": html_named("chi-thi-05.pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [
        "Tệp “chi-thi-05.pdf” có đuôi .pdf nhưng nội dung không phải là tệp "
        "PDF, Word (.docx) hoặc Word 97–2003 (.doc)."
    ]
    assert not Directive.objects.exists()


def test_an_html_file_named_pdf_is_refused_by_the_api(world):
    response = api(world.province_manager).post(
        "/api/directives/",
        {
            "unit": world.province.pk,
            "symbol": "05-CT/TW",
            "issued_on": "15/5/2016",
            "title": TITLE,
            "attachment": html_named(),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "không phải là tệp PDF" in response.json()["errors"]["attachment"][0]
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("chi-thi.pdf", PDF_BYTES, ".pdf"),
        ("chi-thi.docx", DOCX_BYTES, ".docx"),
        ("chi-thi.doc", OLE2_BYTES, ".doc"),
        ("chi-thi.doc", PDF_BYTES, ".pdf"),  # named wrongly, but a real PDF
    ],
)
def test_a_real_document_is_registered_and_stored_as_what_it_is(world, name, content, stored_as):
    directive = register(world, upload(name, content))
    assert directive.attachment.name.endswith(stored_as)
    assert directive.attachment.read() == content


# Downloading from the document page ------------------------------------------------------------


def test_the_page_links_to_the_download_which_sends_the_file_as_an_attachment(client, world):
    directive = register(world, pdf("chi thi 05.pdf"))
    client.force_login(world.province_manager)
    page = client.get(f"/directives/{directive.pk}/").content.decode()
    url = f"/directives/{directive.pk}/attachment/"
    assert f'href="{url}"' in page
    assert "/media/" not in page
    response = client.get(url)
    assert_download(response, PDF_BYTES, "application/pdf", f"05-CT-TW {TITLE}.pdf")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="05-CT-TW-Ve-day-manh-hoc-tap-va-lam-theo-tu-tuong-dao-duc-phong-'
        'cach-Ho-Chi-Minh.pdf"'
    )


def test_a_word_file_goes_out_as_word(client, world):
    directive = register(world, upload("x.docx", DOCX_BYTES))
    client.force_login(world.province_manager)
    response = client.get(f"/directives/{directive.pk}/attachment/")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert filename(response).endswith(".docx")


def test_the_file_is_for_those_who_see_the_document_only(client, world):
    directive = register(world, pdf())
    send(directive, world.province, [world.commune], [StepPlan(StepKind.PLAN, days_after=10)],
         date(2026, 3, 2))  # fmt: skip
    url = f"/directives/{directive.pk}/attachment/"
    for user in (world.commune_staff, world.province_manager):  # a receiver, the registrar
        client.force_login(user)
        assert client.get(url).status_code == 200, user
    for user in (world.neighbour, world.collaborator):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


def test_a_document_without_a_file_or_with_its_file_gone_answers_404(client, world):
    client.force_login(world.province_manager)
    without = register(world)
    assert client.get(f"/directives/{without.pk}/attachment/").status_code == 404
    assert "/attachment/" not in client.get(f"/directives/{without.pk}/").content.decode()
    Directive.objects.filter(pk=without.pk).update(attachment="directives/2026/mat.pdf")
    assert client.get(f"/directives/{without.pk}/attachment/").status_code == 404


def test_no_upload_is_served_from_a_media_url(client, world):
    directive = register(world, pdf())
    client.force_login(world.province_manager)
    assert client.get(f"/media/{directive.attachment.name}").status_code == 404
    assert client.get(f"/{directive.attachment.name}").status_code == 404


# Through the API -------------------------------------------------------------------------------


def test_the_api_gives_the_files_address_in_the_api_and_sends_it_in_scope(world):
    directive = register(world, pdf())
    manager = api(world.province_manager)
    url = manager.get(f"/api/directives/{directive.pk}/").json()["attachment"]
    assert url == f"/api/directives/{directive.pk}/attachment/"
    assert_download(manager.get(url), PDF_BYTES, "application/pdf", f"05-CT-TW {TITLE}.pdf")
    assert api(world.neighbour).get(url).status_code == 404
    assert register_other(world).pk != directive.pk
    listed = {
        d["symbol"]: d["attachment"] for d in manager.get("/api/directives/").json()["results"]
    }
    assert listed == {"05-CT/TW": url, "01-KL/TW": None}


def register_other(world) -> Directive:
    return directive_register(
        actor=None, unit=world.province, symbol="01-KL/TW", issued_on=date(2021, 5, 18), title="x"
    )


# A step's report file --------------------------------------------------------------------------


@pytest.fixture
def report_step(world):
    directive = register(world)
    send(directive, world.province, [world.commune], [StepPlan(StepKind.REPORT, days_after=30)],
         date(2026, 3, 2))  # fmt: skip
    return Step.objects.get(unit=world.commune)


def test_a_step_report_file_is_checked_by_content_on_its_page(client, world, report_step):
    client.force_login(world.commune_staff)
    url = f"/directives/steps/{report_step.pk}/"
    refused = client.post(url, {"done_on": "20/3/2026", "report_file": html_named("bc.docx")})
    assert refused.status_code == 200
    assert "không phải là tệp PDF" in refused.context["form"].errors["report_file"][0]
    report_step.refresh_from_db()
    assert report_step.done_on is None and not report_step.report_file
    done = client.post(url, {"done_on": "20/3/2026", "report_file": pdf("báo cáo.pdf")})
    assert done.status_code == 302
    report_step.refresh_from_db()
    assert report_step.done_on == date(2026, 3, 20)
    page = client.get(url).content.decode()
    assert f'href="/directives/steps/{report_step.pk}/file/"' in page
    assert "/media/" not in page
    response = client.get(f"/directives/steps/{report_step.pk}/file/")
    assert_download(
        response, PDF_BYTES, "application/pdf", "05-CT-TW Báo cáo kết quả Xã Hoà An.pdf"
    )
    for user in (world.neighbour, world.cell_viewer):  # elsewhere; below the step's unit
        client.force_login(user)
        assert client.get(f"/directives/steps/{report_step.pk}/file/").status_code == 404


def test_a_step_report_file_through_the_api(world, report_step):
    staff = api(world.commune_staff)
    refused = staff.post(
        f"/api/steps/{report_step.pk}/record/",
        {"done_on": "2026-03-20", "report_file": upload("bc.pdf", HTML_BYTES)},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "report_file" in refused.json()["errors"]
    recorded = staff.post(
        f"/api/steps/{report_step.pk}/record/",
        {"done_on": "2026-03-20", "report_file": upload("bc.docx", DOCX_BYTES)},
        format="multipart",
    )
    assert recorded.status_code == 200, recorded.content
    url = recorded.json()["report_file"]
    assert url == f"/api/steps/{report_step.pk}/report-file/"
    response = api(world.province_manager).get(url)
    assert response.status_code == 200 and body(response) == DOCX_BYTES
    assert api(world.neighbour).get(url).status_code == 404
