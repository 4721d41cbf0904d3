"""A small report form over the test world (see tests/conftest.py)."""

from dataclasses import dataclass

import pytest

from tuyengiao.figures.models import (
    Aggregation,
    DataSet,
    Indicator,
    MissingValues,
    Operator,
    ValidationRule,
    ValueType,
)
from tuyengiao.figures.services import report_open, report_save
from tuyengiao.periods import Period


@dataclass
class Forms:
    monthly: DataSet
    indicators: dict[str, Indicator]


def build_forms() -> Forms:
    ind = {}

    def make(code, name, **kw):
        ind[code] = Indicator.objects.create(code=code, name=name, **kw)

    make("LOP_KH", "Số lớp theo kế hoạch", measure="lớp")
    make("LOP_TH", "Số lớp đã mở", measure="lớp", planned=ind["LOP_KH"])
    make("HV_CHITIEU", "Học viên theo chỉ tiêu", measure="người")
    make("HV_DANGKY", "Học viên đăng ký", measure="người")
    make("BCV", "Số báo cáo viên", measure="người", aggregation=Aggregation.LAST)
    make("DIEM", "Điểm đánh giá", value_type=ValueType.DECIMAL, aggregation=Aggregation.AVERAGE)
    make("GHI_CHU", "Ghi chú", value_type=ValueType.TEXT)
    make(
        "TL_LOP",
        "Tỷ lệ lớp so kế hoạch",
        value_type=ValueType.PERCENT,
        numerator=ind["LOP_TH"],
        denominator=ind["LOP_KH"],
    )
    monthly = DataSet.objects.create(
        code="BM01",
        name="Báo cáo công tác giáo dục chính trị",
        period_kind="month",
        levels=["commune", "cell"],
        first_period="2024-01",
        due_days=5,
        lock_days=20000,  # never locked in these tests (before 2078); the lock has its own
    )
    for position, code in enumerate(
        ["LOP_KH", "LOP_TH", "HV_CHITIEU", "HV_DANGKY", "BCV", "DIEM", "GHI_CHU"]
    ):
        monthly.rows.create(indicator=ind[code], position=position)
    ValidationRule.objects.create(
        data_set=monthly,
        left="HV_DANGKY",
        operator=Operator.LE,
        right="HV_CHITIEU * 1,5",
        missing=MissingValues.SKIP_IF_ANY,
        message="Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu.",
    )
    ValidationRule.objects.create(
        data_set=monthly,
        left="LOP_TH",
        operator=Operator.BOTH_OR_NEITHER,
        right="LOP_KH",
        message="Đã có số lớp theo kế hoạch thì phải nhập số lớp đã mở (và ngược lại).",
    )
    return Forms(monthly, ind)


@pytest.fixture
def forms(db) -> Forms:
    return build_forms()


def enter(actor, data_set, unit, period: str, **entries):
    """Open the unit's report and save the entries as typed (code=text)."""
    report = report_open(actor=actor, data_set=data_set, unit=unit, period=Period.parse(period))
    report_save(actor=actor, report=report, entries=entries, version=report.version)
    return report
