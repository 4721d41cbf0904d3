"""The reading page, its API and the `extract` command: the same reading of a text; the page
links a reference only to a document the user may see, and offers to register the others."""

import io
import json
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from tests.clock import on_day
from tuyengiao.directives.services import directive_register

pytestmark = on_day("2026-12-06")

TEXT = (
    "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị và Kế hoạch số 12-KH/TU "
    "của Tỉnh ủy B, ngày 07/11, các chi bộ tổ chức 52/50 lớp, đạt 104% so kế hoạch; "
    "đài phát 120/100 tin, bài, đạt 102%. <script>alert(1)</script>"
)


def docx_bytes(paragraphs, rows=()) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def documents(world):
    """01-KL/TW registered in the province (seen by its commune); 12-KH/TU in another province."""
    own = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="01-KL/TW",
        issued_on=date(2021, 5, 18),
        title="Tiếp tục thực hiện Chỉ thị 05",
    )
    other = directive_register(
        actor=world.neighbour,
        unit=world.other_province,
        symbol="12-KH/TU",
        issued_on=date(2025, 1, 10),
        title="Kế hoạch của tỉnh B",
    )
    return own, other


# The page ----------------------------------------------------------------------------------------


def test_the_page_marks_and_links_within_the_scope(client, world, documents):
    own, other = documents
    client.force_login(world.province_manager)
    url = reverse("narratives:read")
    assert client.get(url).status_code == 200
    response = client.post(url, {"content": TEXT})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="ref">Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị</mark>' in html
    assert '<mark class="ratio">52/50 lớp, đạt 104%</mark>' in html
    assert '<mark class="ratio-bad">120/100 tin, bài, đạt 102%</mark>' in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    # linked: the province's document; the other province's is not shown, only offered
    assert reverse("directives:detail", args=[own.pk]) in html
    assert reverse("directives:detail", args=[other.pk]) not in html
    assert "Kế hoạch của tỉnh B" not in html
    assert reverse("directives:new") + "?symbol=12-KH/TU" in html
    # the commune sees what was registered in its subtree or sent to it: neither here
    client.force_login(world.commune_staff)
    html = client.post(url, {"content": TEXT}).content.decode()
    assert reverse("directives:detail", args=[own.pk]) not in html
    assert reverse("directives:new") + "?symbol=01-KL/TW" in html


def test_the_register_page_takes_the_symbol(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("directives:new") + "?symbol=12-KH/TU")
    assert 'value="12-KH/TU"' in response.content.decode()


def test_a_word_document_is_read_with_its_tables(client, world):
    client.force_login(world.commune_staff)
    data = docx_bytes(
        ["Quy định số 144 của Bộ Chính trị."],
        rows=[("Chỉ tiêu", "Kết quả", "Tỷ lệ"), ("Số lớp", "52/50", "104%")],
    )
    upload = SimpleUploadedFile("bao-cao.docx", data)
    response = client.post(reverse("narratives:read"), {"document": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "144-QĐ/TW" in html
    assert '<mark class="ratio">52/50 | 104%</mark>' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bao-cao.docx", b"not a zip"), "không phải là tệp Word"),
        (SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n...."), "Chỉ nhận tệp Word"),
        (SimpleUploadedFile("rong.docx", b""), "rỗng"),
    ],
)
def test_a_bad_file_is_refused_beside_its_field(client, world, upload, message):
    client.force_login(world.commune_staff)
    response = client.post(reverse("narratives:read"), {"document": upload})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_nothing_to_read_says_so(client, world):
    client.force_login(world.commune_staff)
    response = client.post(reverse("narratives:read"), {"content": "  "})
    assert "Hãy dán văn bản hoặc chọn tệp Word" in response.content.decode()


def test_staff_and_above_only(client, world):
    url = reverse("narratives:read")
    client.force_login(world.cell_viewer)
    assert client.get(url).status_code == 403
    assert reverse("narratives:read") not in client.get(reverse("directives:list")).content.decode()
    client.force_login(world.collaborator)
    assert client.get(url).status_code == 404
    client.force_login(world.province_manager)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("directives:list")).content.decode()


# The API -----------------------------------------------------------------------------------------


def test_the_api_answers_what_the_command_prints(world, tmp_path, capsys):
    api = APIClient()
    api.force_authenticate(world.commune_staff)
    response = api.post("/api/extract/", {"text": TEXT}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [r["symbol"] for r in body["doc_refs"]] == ["01-KL/TW", "12-KH/TU"]
    assert body["ratios"][1]["consistent"] is False
    path = tmp_path / "bao-cao.txt"
    path.write_text(TEXT, encoding="utf-8")
    call_command("extract", str(path))
    assert json.loads(capsys.readouterr().out) == body


def test_the_api_refuses_viewers_collaborators_and_bad_bodies(world):
    api = APIClient()
    api.force_authenticate(world.cell_viewer)
    assert api.post("/api/extract/", {"text": TEXT}, format="json").status_code == 403
    api.force_authenticate(world.collaborator)
    assert api.post("/api/extract/", {"text": TEXT}, format="json").status_code == 404
    api.force_authenticate(world.commune_staff)
    for body in ({}, {"text": ["a"]}, {"text": "x" * 200_001}):
        response = api.post("/api/extract/", body, format="json")
        assert response.status_code == 400
        assert "text" in response.json()["errors"]


# The command -------------------------------------------------------------------------------------


def test_the_command_reads_a_docx(world, tmp_path, capsys):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(
        docx_bytes(
            ["Chỉ thị 05 CT/TW: 312 đảng viên tham dự (chỉ tiêu giao là 340 người), đạt 91,76%."],
            rows=[("Số hộ", "2.315/2.406", "96,2%")],
        )
    )
    call_command("extract", str(path))
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"doc_refs", "ratios", "percents"}
    assert data["doc_refs"][0]["symbol"] == "05-CT/TW"
    assert [(r["actual"], r["planned"], r["percent_stated"]) for r in data["ratios"]] == [
        (312, 340, 91.76),
        (2315, 2406, 96.2),
    ]
    assert [p["value"] for p in data["percents"]] == [91.76, 96.2]


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n\x00\x00", "Văn bản".encode("utf-16"), b"\xff\xfe\xfa"]
)
def test_the_command_refuses_an_unreadable_file_with_code_2(tmp_path, content):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command("extract", str(path))
    assert caught.value.returncode == 2
    assert "UTF-8" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("extract", str(tmp_path / "missing.txt"))
    assert caught.value.returncode == 2
    assert "Không đọc được tệp" in str(caught.value)
