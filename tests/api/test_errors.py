"""Every error of the API is JSON in the documented shape, in Vietnamese — including bodies the
parser refuses and errors raised outside DRF's views (core/api.py, core/errors.py)."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tuyengiao.core.parsers import MAX_JSON_DEPTH, json_depth

from .conftest import error_problems

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert not error_problems(status, response["Content-Type"], body)
    return body


def test_a_body_nested_a_thousand_deep_is_refused_as_400_not_a_recursion(world):
    body = "[" * 1000 + "]" * 1000
    response = client_for(world.province_manager).post(
        "/api/directives/", body, content_type="application/json"
    )
    assert "quá sâu" in assert_error(response, 400)["detail"]


def test_a_body_nested_as_deep_as_allowed_is_read(world):
    inner = MAX_JSON_DEPTH - 1  # inside the body's object
    nested = "[" * inner + "]" * inner
    body = f'{{"unit": {world.province.pk}, "title": {nested}}}'
    response = client_for(world.province_manager).post(
        "/api/directives/", body, content_type="application/json"
    )
    # Read, then refused by field: past the parser.
    assert "title" in assert_error(response, 400)["errors"]


def test_brackets_inside_strings_are_not_nesting():
    assert json_depth(b'{"a": "[[[[[[[[\\"]]]]", "b": [1, {"c": []}]}') == 4


@pytest.mark.parametrize("body", ["{not json", '{"a": NaN}', "\xff\xfe", '{"a": 1'])
def test_a_body_that_is_not_json_is_400_in_vietnamese(world, body):
    response = client_for(world.province_manager).post(
        "/api/directives/", body.encode("latin-1"), content_type="application/json"
    )
    assert "JSON" in assert_error(response, 400)["detail"]


def test_a_body_of_another_content_type_is_415(world):
    response = client_for(world.province_manager).post(
        "/api/directives/", "unit=1", content_type="text/plain"
    )
    assert "text/plain" in assert_error(response, 415)["detail"]


def test_an_oversized_body_is_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    response = client_for(world.province_manager).post(
        "/api/directives/", body, content_type="application/json"
    )
    assert_error(response, 413)


def test_a_null_body_is_400_in_vietnamese(world):
    response = client_for(world.province_manager).post(
        "/api/reports/open/", "null", content_type="application/json"
    )
    assert assert_error(response, 400) == {"errors": {"non_field_errors": ["Chưa gửi dữ liệu."]}}


def test_nested_field_errors_are_named_by_their_path(world):
    client = client_for(world.province_manager)
    directive = client.post(
        "/api/directives/",
        {
            "unit": world.province.pk,
            "symbol": "Kết luận số 01-KL/TƯ",
            "issued_on": "2021-05-18",
            "title": "Tiếp tục thực hiện Chỉ thị 05-CT/TW",
        },
        format="json",
    ).json()
    response = client.post(
        f"/api/directives/{directive['id']}/send/",
        {"sender": world.province.pk, "receivers": ["x"], "plan": [{"kind": "plan"}, {"kind": 7}]},
        format="json",
    )
    errors = assert_error(response, 400)["errors"]
    assert set(errors) == {"receivers.0", "plan.1.kind"}


def test_drf_field_messages_are_in_vietnamese(world):
    response = client_for(world.province_manager).post(
        "/api/directives/", {"unit": "abc", "title": None}, format="json"
    )
    errors = assert_error(response, 400)["errors"]
    assert set(errors) >= {"unit", "title", "symbol", "issued_on"}


def test_an_unknown_address_under_the_api_is_a_json_404(world):
    response = client_for(world.province_manager).get("/api/no-such-thing/")
    assert assert_error(response, 404) == {"detail": "Không tìm thấy."}


def test_a_page_outside_the_api_still_answers_html(world):
    client = Client()
    client.force_login(world.province_manager)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unsupported_method_is_405_in_vietnamese(world):
    response = client_for(world.province_manager).delete("/api/directives/")
    assert_error(response, 405)


def test_without_credentials_401_in_vietnamese(world):
    assert_error(APIClient().get("/api/directives/"), 401)
    bad = APIClient(headers={"Authorization": "Token a b"})
    assert_error(bad.get("/api/directives/"), 401)


def test_a_session_write_without_csrf_is_a_json_403(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.province_manager)
    response = client.post("/api/directives/", {}, format="json")
    assert "CSRF" in assert_error(response, 403)["detail"]


def test_a_server_error_under_the_api_is_json(world, monkeypatch):
    from tuyengiao.directives.api import DirectiveViewSet

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(DirectiveViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.province_manager)
    response = client.get("/api/directives/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "lỗi" in response.json()["detail"]


def test_the_schema_documents_the_error_shape_and_statuses(world):
    schema = client_for(world.province_manager).get("/api/schema/?format=json").json()
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            declared = set(operation["responses"])
            assert {"401", "404"} <= declared, (method, path)
            if method == "post":
                assert {"400", "403"} <= declared, (method, path)
    indicator = schema["components"]["schemas"]["Indicator"]["properties"]
    assert all(indicator[f]["nullable"] for f in ("planned", "numerator", "denominator"))


def test_a_malformed_multipart_body_is_400_in_vietnamese(world):
    response = client_for(world.collaborator).post(
        "/api/concern-reports/",
        b'--xx\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc',
        content_type="multipart/form-data; boundary=",
    )
    assert "định dạng" in assert_error(response, 400)["detail"]


@pytest.mark.parametrize(
    "url",
    ["/api/directives/?q=a%00b", "/api/reports/?data_set=%00", "/api/table/?indicators=%00"],
)
def test_a_nul_character_in_a_query_is_400_by_parameter_on_every_database(world, url):
    response = client_for(world.province_manager).get(url)
    [name] = assert_error(response, 400)["errors"]
    assert name == url.split("?")[1].split("=")[0]
