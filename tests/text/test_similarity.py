import unicodedata
from collections import Counter

import pytest

from tuyengiao.text.similarity import STOPWORDS, rank, similarity, terms

GACH = "Ô nhiễm khói bụi nhà máy gạch ở xã Tân Phú"
PHAN_BON = "Giá phân bón tăng cao"
GPMB = "Chậm chi trả tiền bồi thường giải phóng mặt bằng"
DUONG = "Đường giao thông nông thôn xuống cấp, nhiều ổ gà"
NUOC = "Thiếu nước sạch sinh hoạt, nước giếng nhiễm phèn"
MA_TUY = "Tình trạng thanh niên sử dụng ma túy ở khu dân cư"
CONCERNS = [
    ("gach", GACH),
    ("phan_bon", PHAN_BON),
    ("gpmb", GPMB),
    ("duong", DUONG),
    ("nuoc", NUOC),
    ("ma_tuy", MA_TUY),
]


def test_terms_are_syllables_and_pairs_without_diacritics() -> None:
    assert terms("Ô nhiễm môi trường") == Counter(
        {"o": 1, "nhiem": 1, "moi": 1, "truong": 1, "o nhiem": 1, "nhiem moi": 1, "moi truong": 1}
    )


def test_terms_count_repeats() -> None:
    assert terms("nước sạch, nước giếng")["nuoc"] == 2


def test_pairs_skip_stopwords_and_numbers() -> None:
    assert terms("Khói bụi của nhà máy, 2024") == terms("khói bụi nhà máy")
    # So a report that words it differently still shares the pairs.
    assert similarity(terms("khói bụi của các nhà máy"), terms("khói bụi nhà máy")) == 1.0


def test_content_words_are_kept() -> None:
    counts = terms("đất, rác, giá, ô nhiễm, vệ sinh, đổ trộm, tai nạn, đền bù, khí thải, ma túy")
    for word in ["dat", "rac", "gia", "o", "ve", "do", "tai", "den", "khi", "ma"]:
        assert word in counts
        assert word not in STOPWORDS


def test_only_stopwords_give_no_terms() -> None:
    assert terms("Người dân đã và đang có những") == Counter()
    assert terms("") == Counter()
    assert terms("2024 !!! 12/03") == Counter()


@pytest.mark.parametrize(
    "variant",
    [
        "Hòa Bình thuỷ điện",
        "HOÀ BÌNH THỦY ĐIỆN",
        unicodedata.normalize("NFD", "Hoà Bình thủy điện"),
        "hoa binh thuy dien",
    ],
)
def test_tone_placement_case_and_decomposition_give_equal_terms(variant: str) -> None:
    assert terms(variant) == terms("Hoà Bình thủy điện")


def test_similarity_is_a_cosine() -> None:
    a, b = terms(GACH), terms(PHAN_BON)
    assert similarity(a, a) == 1.0
    assert similarity(a, b) == 0.0
    assert similarity(a, Counter()) == 0.0
    assert similarity(Counter(), Counter()) == 0.0
    near = similarity(terms("ô nhiễm khói bụi"), a)
    assert 0 < near < 1
    assert similarity(a, terms("ô nhiễm khói bụi")) == near


def test_similarity_ignores_proportional_counts() -> None:
    a = terms("rác thải")
    doubled = Counter({k: 2 * v for k, v in a.items()})
    assert similarity(a, doubled) == pytest.approx(1.0)


def test_a_report_finds_its_concern() -> None:
    query = "Người dân bức xúc vì ô nhiễm khói bụi từ nhà máy gạch"
    result = rank(query, CONCERNS)
    assert [key for key, _ in result] == ["gach"]
    scores = dict(rank(query, CONCERNS, threshold=0))
    assert scores["gach"] > scores.get("phan_bon", 0)
    assert scores["gach"] > scores.get("gpmb", 0)


def test_text_without_diacritics_matches() -> None:
    result = rank("o nhiem khoi bui nha may gach", CONCERNS)
    assert result[0][0] == "gach"
    assert result[0][1] > 0.5


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ("Tiền đền bù giải phóng mặt bằng dự án đường vành đai chậm chi trả", "gpmb"),
        ("Bà con lo lắng vì giá phân bón lại tăng trước vụ Đông Xuân", "phan_bon"),
        ("duong giao thong nong thon xuong cap, o ga nhieu sau mua lu", "duong"),
        ("Nhiều hộ thiếu nước sinh hoạt, giếng khoan nhiễm phèn", "nuoc"),
        ("Phát hiện thanh niên tụ tập sử dụng ma tuý tại bãi đất trống", "ma_tuy"),
    ],
)
def test_realistic_reports_rank_their_concern_first(report: str, expected: str) -> None:
    result = rank(report, CONCERNS)
    assert result
    assert result[0][0] == expected


@pytest.mark.parametrize(
    "report",
    [
        "Học phí năm học mới tăng, phụ huynh băn khoăn",
        "Đề nghị tăng cường tuần tra an ninh trật tự ban đêm",
        "Thủ tục cấp giấy chứng nhận quyền sử dụng đất còn rườm rà",
    ],
)
def test_unrelated_reports_get_no_suggestion(report: str) -> None:
    assert rank(report, CONCERNS) == []


@pytest.mark.parametrize("query", ["", "   ", "Người dân đã có", "12/03/2024"])
def test_empty_text_gives_no_suggestion(query: str) -> None:
    assert rank(query, CONCERNS, threshold=0) == []


def test_empty_candidates_are_skipped() -> None:
    assert rank("rác thải", [("a", ""), ("b", "rác thải sinh hoạt")]) == [
        ("b", pytest.approx(similarity(terms("rác thải"), terms("rác thải sinh hoạt"))))
    ]


def test_precomputed_terms_rank_like_text() -> None:
    query = "khói bụi nhà máy gạch"
    precomputed = [(key, terms(text)) for key, text in CONCERNS]
    assert rank(query, precomputed, threshold=0) == rank(query, CONCERNS, threshold=0)
    assert rank(terms(query), CONCERNS, threshold=0) == rank(query, CONCERNS, threshold=0)


def test_best_first_with_ties_in_candidate_order() -> None:
    candidates = [
        (1, "rác thải sinh hoạt không được thu gom"),
        (2, "rác thải"),
        (3, "Rác thải"),
        (4, "rác thải sinh hoạt"),
    ]
    result = rank("rác thải", candidates, threshold=0)
    assert [key for key, _ in result] == [2, 3, 4, 1]
    assert result[0][1] == result[1][1] == 1.0
    assert result[1][1] > result[2][1] > result[3][1]


def test_limit_and_threshold() -> None:
    candidates = [(i, "rác thải " + "sinh hoạt " * i) for i in range(10)]
    assert len(rank("rác thải", candidates)) == 5
    assert len(rank("rác thải", candidates, limit=2)) == 2
    assert rank("rác thải", candidates, limit=0) == []
    scores = [score for _, score in rank("rác thải", candidates, limit=10, threshold=0)]
    cut = scores[4]
    assert all(score >= cut for _, score in rank("rác thải", candidates, limit=10, threshold=cut))
    assert len(rank("rác thải", candidates, limit=10, threshold=cut)) == 5


def test_candidates_may_be_a_generator_of_many() -> None:
    many = ((i, f"{GPMB} dự án {i}" if i % 500 == 7 else DUONG) for i in range(2000))
    result = rank("chậm chi trả bồi thường giải phóng mặt bằng", many, limit=3)
    assert [key for key, _ in result] == [7, 507, 1007]
