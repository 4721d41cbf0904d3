"""Vietnamese alphabetical order: the stored key sorts names as a Vietnamese dictionary does."""

import pytest

from tuyengiao.text.collation import sort_key, sorted_vi


def test_the_communes_of_the_issue_sort_with_d_before_đ_before_y():
    names = ["Xã Yên Bình", "Xã Đức Lương", "Xã Đại Phúc", "Xã Dương Quang", "Xã Bắc Sơn"]
    assert sorted_vi(names) == [
        "Xã Bắc Sơn",
        "Xã Dương Quang",
        "Xã Đại Phúc",
        "Xã Đức Lương",
        "Xã Yên Bình",
    ]


def test_the_letters_with_marks_are_letters_of_their_own():
    assert sorted_vi(["Cường Lợi", "Cẩm Giàng", "Cao Minh", "Cắm Trại"]) == [
        "Cao Minh",
        "Cắm Trại",
        "Cẩm Giàng",
        "Cường Lợi",
    ]
    assert sorted_vi(["Ơn", "Ông", "Ong", "Ư", "Uy", "Ê", "En"]) == [
        "En",
        "Ê",
        "Ong",
        "Ông",
        "Ơn",
        "Uy",
        "Ư",
    ]


def test_tones_come_after_the_letters_word_by_word():
    words = ["cách", "các", "cạ", "cá", "cã", "cả", "cà", "ca"]
    assert sorted_vi(words) == ["ca", "cà", "cả", "cã", "cá", "cạ", "các", "cách"]
    # Word by word: every "ca …" comes before "cà …", whatever follows.
    assert sorted_vi(["cà chua", "ca dao"]) == ["ca dao", "cà chua"]


def test_numbers_sort_by_value():
    names = ["Chi bộ Tổ dân phố số 10", "Chi bộ Tổ dân phố số 2", "Chi bộ Tổ dân phố số 1"]
    assert sorted_vi(names) == [
        "Chi bộ Tổ dân phố số 1",
        "Chi bộ Tổ dân phố số 2",
        "Chi bộ Tổ dân phố số 10",
    ]


@pytest.mark.parametrize(
    ("one", "other"),
    [("Hoà", "Hòa"), ("xã hoà an", "XÃ HOÀ AN"), ("Na\u0300", "Nà"), ("Xã  An", "Xã An")],
)
def test_spellings_of_the_same_name_have_one_key(one, other):
    assert sort_key(one) == sort_key(other)


def test_the_key_uses_only_digits_and_capitals():
    # So that any database collation (C, ICU, SQLite's) compares keys the same way.
    assert set(sort_key("Đảng ủy xã Ngũ Hành Sơn – số 3 (cũ)")) <= set(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    )
