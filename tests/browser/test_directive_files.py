"""A document's file through the browser: an HTML page named .pdf is refused where it was chosen;
the real PDF is registered, and the link on the document's page downloads it under its
Vietnamese name."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.uploads import HTML_BYTES, PDF_BYTES
from tuyengiao.directives.models import Directive

TITLE = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def register(page, name: str, content: bytes, mime: str = "application/pdf"):
    page.goto("/directives/new/")
    page.get_by_label("Số và ký hiệu").fill("Chỉ thị số 05 CT/TW")
    page.get_by_label("Ngày ban hành").fill("15/5/2016")
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_label("Tệp văn bản (PDF, Word; tối đa 20 MB)").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    page.get_by_role("button", name="Vào sổ").click()


def test_the_attachment_is_checked_by_content_and_downloads_from_the_document_page(
    world, page, login, live_server, tmp_path
):
    login(world.province_manager)
    register(page, "chi-thi-05.pdf", HTML_BYTES)
    expect(page.locator(".field.has-error .error")).to_have_text(
        [
            "Tệp “chi-thi-05.pdf” có đuôi .pdf nhưng nội dung không phải là tệp "
            "PDF, Word (.docx) hoặc Word 97–2003 (.doc)."
        ]
    )
    assert not Directive.objects.exists()

    register(page, "chi-thi-05.pdf", PDF_BYTES)
    directive = Directive.objects.get()
    expect(page).to_have_url(live_server.url + f"/directives/{directive.pk}/")
    link = page.locator("main p.meta").get_by_role("link", name="Tệp văn bản")
    expect(link).to_have_attribute("href", f"/directives/{directive.pk}/attachment/")
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == f"05-CT-TW {TITLE}.pdf"
    saved = tmp_path / "saved.pdf"
    download.save_as(saved)
    assert Path(saved).read_bytes() == PDF_BYTES
