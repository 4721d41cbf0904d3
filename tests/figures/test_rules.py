"""Validation rules: the expressions people write, the comparisons and the missing values."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tuyengiao.audit.models import AuditEntry
from tuyengiao.figures import rules
from tuyengiao.figures.models import CODE, MissingValues, Operator, ValidationRule
from tuyengiao.figures.services import rule_save, violations

D = Decimal


def values(**kw):
    return {k: None if v is None else D(str(v)) for k, v in kw.items()}


# Expressions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("HV_CHITIEU", D(40)),
        ("HV_CHITIEU * 1,5", D(60)),  # the Vietnamese decimal comma
        ("HV_CHITIEU * 1.5", D(60)),
        ("LOP_KH + LOP_TH - 1", D(9)),
        ("LOP_KH − 1", D(3)),  # the minus sign people paste
        ("LOP_KH × 2", D(8)),
        ("LOP_TH ÷ LOP_KH", D("1.5")),
        ("LOP_TH : LOP_KH", D("1.5")),  # division as written in Vietnamese schools
        ("(LOP_KH + LOP_TH) * 2", D(20)),
        ("LOP_KH + LOP_TH * 2", D(16)),  # × before +
        ("-LOP_KH + 10", D(6)),
        ("LOP_TH / LOP_KH * 100", D(150)),
        ("0,1 + 0,2", D("0.3")),  # decimals are exact, not floating point
        ("7", D(7)),
    ],
)
def test_expressions_are_computed_exactly(expression, expected):
    numbers = values(HV_CHITIEU=40, LOP_KH=4, LOP_TH=6)
    assert rules.evaluate(expression, numbers, missing_as_zero=False) == expected


def test_codes_are_listed_once_in_order_of_appearance():
    assert rules.codes("(B2 + A1) * B2 - C_3 / 2") == ["B2", "A1", "C_3"]
    assert rules.codes("100") == []


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('true')",  # a function call
        "abs(LOP_KH)",
        "LOP_KH.real",  # an attribute
        "'10'",  # a string
        "LOP_KH if LOP_TH else 0",
        "LOP_KH < LOP_TH",  # a comparison belongs to the rule, not to a side
        "LOP_KH ** 2",
        "LOP_KH // 2",
        "LOP_KH % 2",
        "[LOP_KH]",
        "LOP_KH[0]",
        "lambda: 1",
        "True",  # a truth value is not a number
        "LOP_KH + None",
        "not LOP_KH",
    ],
)
def test_anything_but_arithmetic_on_codes_and_numbers_is_refused(expression):
    with pytest.raises(rules.ExpressionError) as caught:
        rules.parse(expression)
    assert "Biểu thức" in str(caught.value)


@pytest.mark.parametrize("expression", ["hv_dangky", "Lop_KH + 1", "_A", "HỌC_VIÊN", "A" * 33])
def test_names_must_be_indicator_codes(expression):
    """A code is upper-case ASCII letters, digits and underscores (models.CODE)."""
    with pytest.raises(rules.ExpressionError, match="không phải mã chỉ tiêu"):
        rules.parse(expression)


def test_rules_and_indicators_share_one_code_pattern():
    assert CODE is rules.CODE
    assert rules.codes("A_1 + " + "B" * 32) == ["A_1", "B" * 32]


@pytest.mark.parametrize("expression", ["", "   ", "LOP_KH +", "(LOP_KH", "LOP_KH LOP_TH", "1,5,2"])
def test_bad_syntax_is_refused_with_a_message(expression):
    with pytest.raises(rules.ExpressionError) as caught:
        rules.parse(expression)
    assert "trống" in str(caught.value) or "không đúng cú pháp" in str(caught.value)


def test_missing_values_are_none_or_zero():
    numbers = values(A=3, B=None)
    assert rules.evaluate("A + B", numbers, missing_as_zero=False) is None
    assert rules.evaluate("A + B", numbers, missing_as_zero=True) == 3
    assert rules.evaluate("-B", numbers, missing_as_zero=False) is None
    assert rules.evaluate("A + C", numbers, missing_as_zero=True) == 3  # absent counts as missing


def test_division_by_zero_has_no_value():
    assert rules.evaluate("A / B", values(A=3, B=0), missing_as_zero=False) is None
    assert rules.evaluate("A / B", values(A=0, B=0), missing_as_zero=False) is None
    assert rules.evaluate("A / (B - 2)", values(A=3, B=2), missing_as_zero=False) is None
    assert rules.evaluate("A / B", values(A=3, B=None), missing_as_zero=True) is None


# Operators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op, a, b, expected",
    [
        ("==", 5, 5, True),
        ("==", 5, 4, False),
        ("==", "0,5", "0.50", True),
        ("!=", 5, 4, True),
        ("!=", 5, 5, False),
        ("<", 4, 5, True),
        ("<", 5, 5, False),
        ("<=", 5, 5, True),
        ("<=", 6, 5, False),
        (">", 6, 5, True),
        (">", 5, 5, False),
        (">=", 5, 5, True),
        (">=", 4, 5, False),
    ],
)
def test_each_comparison(op, a, b, expected):
    numbers = {"A": D(str(a).replace(",", ".")), "B": D(str(b).replace(",", "."))}
    assert rules.check("A", op, "B", MissingValues.SKIP_IF_ANY, numbers) is expected


def test_operator_choices_are_all_understood():
    assert set(Operator.values) == set(rules.COMPARE) | {Operator.BOTH_OR_NEITHER}


@pytest.mark.parametrize(
    "a, b, expected",
    [(1, 2, True), (None, None, True), (1, None, False), (None, 2, False), (0, None, False)],
)
def test_both_or_neither(a, b, expected):
    """A zero is a value: "0 classes opened" is not the same as nothing entered."""
    for missing in MissingValues.values:
        assert rules.check("LOP_TH", "both", "LOP_KH", missing, values(LOP_TH=a, LOP_KH=b)) is (
            expected
        )


def test_both_or_neither_looks_at_any_code_of_a_side():
    numbers = values(A=None, B=1, C=None)
    assert rules.check("A + B", "both", "C", MissingValues.SKIP_IF_ANY, numbers) is False
    assert rules.check("A + B", "both", "C * 2", MissingValues.SKIP_IF_ANY, values(B=1, C=0))


# Missing values --------------------------------------------------------------------------------


def test_skip_if_any_skips_when_one_value_is_missing():
    rule = ("HV_DANGKY", "<=", "HV_CHITIEU * 1,5", MissingValues.SKIP_IF_ANY)
    left, op, right, missing = rule
    assert rules.check(left, op, right, missing, values(HV_DANGKY=61, HV_CHITIEU=40)) is False
    assert rules.check(left, op, right, missing, values(HV_DANGKY=60, HV_CHITIEU=40)) is True
    assert rules.check(left, op, right, missing, values(HV_DANGKY=61, HV_CHITIEU=None)) is None
    assert rules.check(left, op, right, missing, values(HV_DANGKY=None, HV_CHITIEU=None)) is None


def test_skip_if_all_counts_a_missing_value_as_zero_unless_all_are_missing():
    left, op, right, missing = "HV_DANGKY", "<=", "HV_CHITIEU * 1,5", MissingValues.SKIP_IF_ALL
    # targets missing count as zero: 5 learners against no target breaks the rule
    assert rules.check(left, op, right, missing, values(HV_DANGKY=5, HV_CHITIEU=None)) is False
    assert rules.check(left, op, right, missing, values(HV_DANGKY=None, HV_CHITIEU=4)) is True
    assert rules.check(left, op, right, missing, values(HV_DANGKY=None, HV_CHITIEU=None)) is None
    assert rules.check(left, op, right, missing, {}) is None


def test_never_skip_checks_even_an_empty_form():
    missing = MissingValues.NEVER_SKIP
    assert rules.check("LOP_TH", ">", "0", missing, {}) is False
    assert rules.check("LOP_TH", ">=", "0", missing, {}) is True
    assert rules.check("LOP_TH", "==", "LOP_KH", missing, values(LOP_TH=None, LOP_KH=0)) is True
    assert rules.check("LOP_TH", "==", "LOP_KH", missing, values(LOP_TH=None, LOP_KH=2)) is False


@pytest.mark.parametrize("missing", MissingValues.values)
def test_a_division_by_zero_skips_the_rule_whatever_the_missing_values(missing):
    """A rate over a zero plan cannot be compared: the rule is neither kept nor broken."""
    numbers = values(LOP_TH=3, LOP_KH=0)
    assert rules.check("LOP_TH / LOP_KH * 100", "<=", "150", missing, numbers) is None
    assert rules.check("LOP_TH / LOP_KH * 100", "<=", "150", missing, values(LOP_TH=3)) is None
    # with a plan it is checked
    assert rules.check("LOP_TH / LOP_KH * 100", "<=", "150", missing, values(LOP_TH=3, LOP_KH=2))
    assert (
        rules.check("LOP_TH / LOP_KH * 100", "<=", "140", missing, values(LOP_TH=3, LOP_KH=2))
        is False
    )


# Rules of a form -----------------------------------------------------------------------------


def _rule(forms, left, right, **kw):
    return ValidationRule(
        data_set=forms.monthly,
        left=left,
        operator=kw.pop("operator", Operator.LE),
        right=right,
        message=kw.pop("message", "Vi phạm."),
        **kw,
    )


def test_rule_save_keeps_a_rule_over_the_forms_codes(world, forms):
    rule = rule_save(actor=world.province_admin, rule=_rule(forms, "LOP_TH", "LOP_KH × 1,2 + 1"))
    assert ValidationRule.objects.filter(pk=rule.pk, right="LOP_KH × 1,2 + 1").exists()
    entry = AuditEntry.objects.get(object_id=str(rule.pk), content_type__model="validationrule")
    assert entry.actor == world.province_admin


@pytest.mark.parametrize(
    "left, right, side, words",
    [
        ("HV_KHAC", "LOP_KH", "left", "Biểu mẫu không có chỉ tiêu: HV_KHAC."),
        ("LOP_TH", "LOP_KH + KHONG_CO + KHAC", "right", "KHONG_CO, KHAC"),
        ("LOP_TH", "TL_LOP", "right", "TL_LOP"),  # exists, but not on this form
        ("LOP_TH +", "LOP_KH", "left", "không đúng cú pháp"),
        ("LOP_TH", "abs(LOP_KH)", "right", "chỉ được dùng mã chỉ tiêu"),
        ("LOP_TH", "lop_kh", "right", "không phải mã chỉ tiêu"),
        ("", "LOP_KH", "left", "trống"),
    ],
)
def test_rule_save_refuses_unknown_codes_and_bad_syntax_per_side(
    world, forms, left, right, side, words
):
    before = ValidationRule.objects.count()
    with pytest.raises(ValidationError) as caught:
        rule_save(actor=world.province_admin, rule=_rule(forms, left, right))
    errors = caught.value.message_dict
    assert list(errors) == [side]
    assert words in errors[side][0]
    assert ValidationRule.objects.count() == before


def test_only_an_administrator_defines_rules(world, forms):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        rule_save(actor=world.province_manager, rule=_rule(forms, "LOP_TH", "LOP_KH"))


def test_violations_name_the_fields_to_mark(world, forms):
    report = type("R", (), {"data_set": forms.monthly})()
    broken = violations(report, values(HV_DANGKY=61, HV_CHITIEU=40, LOP_TH=2, LOP_KH=None))
    assert [(v.message, v.codes) for v in broken] == [
        ("Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu.", ("HV_DANGKY", "HV_CHITIEU")),
        (
            "Đã có số lớp theo kế hoạch thì phải nhập số lớp đã mở (và ngược lại).",
            ("LOP_TH", "LOP_KH"),
        ),
    ]
    assert violations(report, values(HV_DANGKY=60, HV_CHITIEU=40, LOP_TH=0, LOP_KH=0)) == []
