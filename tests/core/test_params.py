"""Ids sent by a browser or a client are read one way: what is not an id is refused cleanly
(404 on a page, 400 by field from the API), never a 500 from `int()` or the database."""

import pytest

from tuyengiao.core.params import MAX_ID, parse_id

NOT_IDS = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "+5",
    "1.5",
    "1e3",
    "²",
    "١٢",
    "１２",
    str(MAX_ID + 1),
    "9" * 40,
    None,
    True,
    0,
    -3,
]


@pytest.mark.parametrize("raw", NOT_IDS)
def test_what_is_not_an_id_is_none(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw, value", [("7", 7), (" 42 ", 42), (str(MAX_ID), MAX_ID), (9, 9)])
def test_an_id_is_read(raw, value):
    assert parse_id(raw) == value


@pytest.mark.parametrize("bad", ["²", "9223372036854775808", "abc"])
def test_a_page_asked_for_a_unit_that_is_not_an_id_answers_404(client, world, bad):
    client.force_login(world.province_manager)
    for url in (
        "/deadlines/",
        "/deadlines/dashboard/",
        "/figures/",
        "/figures/table/",
        "/figures/completeness/",
        "/concerns/overview/",
    ):
        assert client.get(url, {"unit": bad}).status_code == 404, url


API_LISTS = [
    ("/api/directives/", "unit"),
    ("/api/steps/", "unit"),
    ("/api/steps/", "directive"),
    ("/api/reports/", "unit"),
    ("/api/table/", "unit"),
    ("/api/concern-reports/", "unit"),
    ("/api/concern-reports/", "concern"),
    ("/api/concerns/", "unit"),
]


@pytest.mark.parametrize("url, name", API_LISTS)
@pytest.mark.parametrize("bad", ["9223372036854775808", "x", "²"])
def test_an_api_parameter_that_is_not_an_id_is_a_400_naming_it(client, world, url, name, bad):
    client.force_login(world.province_manager)
    response = client.get(url, {name: bad})
    assert response.status_code == 400
    assert name in response.json()["errors"]


@pytest.mark.parametrize("url, name", [(u, n) for u, n in API_LISTS if n == "unit"])
def test_an_api_list_asked_for_a_unit_outside_the_scope_answers_404(client, world, url, name):
    client.force_login(world.province_manager)
    response = client.get(url, {name: world.other_province.pk})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
