"""The unit search tells the true number of units found and leads to all of them."""

from tuyengiao.org.models import Kind
from tuyengiao.org.services import NewUnit, units_create_many


def test_sixty_cells_found_are_counted_and_all_reachable(client, world):
    rows = [
        NewUnit(parent=world.commune, name=f"Chi bộ thôn Nà Pài {i}", kind=Kind.CELL)
        for i in range(1, 60)
    ]
    units_create_many(actor=None, rows=rows)
    client.force_login(world.province_manager)

    first = client.get("/units/search/", {"q": "chi bo thon na pai"})
    text = first.content.decode()
    assert "60 kết quả · đang hiển thị 1–50" in text
    assert len(first.context["results"]) == 50
    assert "page=2" in text

    second = client.get("/units/search/", {"q": "chi bo thon na pai", "page": 2})
    assert "60 kết quả · đang hiển thị 51–60" in second.content.decode()
    names = {u.name for u in first.context["results"]} | {u.name for u in second.context["results"]}
    assert len(names) == 60
    # In order of the number, not of the characters: "… Nà Pài 2" before "… Nà Pài 10".
    ordered = [u.name for u in first.context["results"]]
    assert ordered.index("Chi bộ thôn Nà Pài 2") < ordered.index("Chi bộ thôn Nà Pài 10")


def test_a_short_result_says_its_count_without_pages(client, world):
    client.force_login(world.province_manager)
    text = client.get("/units/search/", {"q": "ngan son"}).content.decode()
    assert "1 kết quả" in text and "đang hiển thị" not in text and "page=2" not in text
