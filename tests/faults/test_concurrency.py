"""Two people doing the same thing at the same moment: nothing is lost, nothing is doubled.

Each case runs its two actions in two threads with their own connections, both inside an open
transaction when a barrier releases them (tests/faults/threads.py), several rounds over. On
SQLite the in-memory test database cannot hold two waiting connections, so these run on
PostgreSQL (CI runs the suite there); the same services serialise on SQLite by its single
writer.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.clock import on_day
from tests.concerns.conftest import submit, topic
from tests.factories import UserFactory
from tests.faults.threads import needs_server, run_together
from tests.figures.conftest import build_forms
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns import services as concerns
from tuyengiao.concerns.models import Concern, ConcernReport, Topic
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.directives.models import Assignment, Dispatch, Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register, directive_send
from tuyengiao.figures.models import SCALE, Report, ReportState, Value
from tuyengiao.figures.services import (
    StaleReport,
    report_approve,
    report_open,
    report_save,
    report_submit,
    report_withdraw,
)
from tuyengiao.org.models import Role
from tuyengiao.periods import Period

pytestmark = [on_day("2026-11-20"), needs_server, pytest.mark.django_db(transaction=True)]
ROUNDS = 5


def _values(report: Report) -> dict[str, int]:
    rows = Value.objects.filter(unit=report.unit_id, period=report.period)
    return {v.indicator.code: v.number for v in rows.select_related("indicator")}


def _refusals(results) -> list[Exception]:
    return [r for r in results if isinstance(r, Exception)]


@pytest.fixture
def monthly(world):
    forms = build_forms()
    return report_open(
        actor=world.commune_staff,
        data_set=forms.monthly,
        unit=world.cell,
        period=Period.parse("2026-01"),
    )


# (a) two editors of one report ------------------------------------------------------------


def test_two_saves_from_one_version_one_wins_whole_the_other_is_told(world, monthly):
    other = UserFactory(username="xa2", role=Role.STAFF, unit=world.commune)
    for step in range(ROUNDS):
        version = Report.objects.get(pk=monthly.pk).version
        before = _values(monthly)
        mine = {"LOP_KH": f"{step + 1}", "LOP_TH": f"{step + 1}", "BCV": "3"}
        theirs = {"LOP_KH": f"{step + 20}", "LOP_TH": f"{step + 20}", "HV_CHITIEU": "9"}

        def save(actor, entries, version=version):
            def job():
                report = Report.objects.get(pk=monthly.pk)
                report_save(actor=actor, report=report, entries=entries, version=version)
                return entries

            return job

        results = run_together(save(world.commune_staff, mine), save(other, theirs))

        refused = _refusals(results)
        assert len(refused) == 1 and isinstance(refused[0], StaleReport), (step, results)
        winner = next(r for r in results if isinstance(r, dict))
        # the winner's figures, whole, over what was there; nothing of the other's
        expected = before | {code: int(raw) * SCALE for code, raw in winner.items()}
        assert _values(monthly) == expected, step
        assert Report.objects.get(pk=monthly.pk).version == version + 1
    assert AuditEntry.objects.filter(verb="save").count() == ROUNDS


# (b) approval racing an edit -------------------------------------------------------------


def test_an_approval_and_a_correction_at_once_never_approve_figures_changed_after(world, monthly):
    commune_manager = UserFactory(username="lanhdaoxa", role=Role.MANAGER, unit=world.commune)
    report_save(
        actor=world.commune_staff, report=monthly, entries={"LOP_KH": "1", "LOP_TH": "1"}, version=0
    )
    outcomes = set()
    for step in range(ROUNDS):
        monthly.refresh_from_db()
        if monthly.state != ReportState.SUBMITTED:
            report_submit(actor=world.commune_staff, report=monthly)
        shown = Report.objects.get(pk=monthly.pk)  # what the manager sees and approves
        seen_values = _values(shown)

        def approve(shown=shown):
            report_approve(actor=commune_manager, report=shown, version=shown.version)
            return "approved"

        def correct(step=step):
            # the correction saves over the version its own withdrawal left
            report = report_withdraw(
                actor=world.commune_staff, report=Report.objects.get(pk=monthly.pk)
            )
            report_save(
                actor=world.commune_staff,
                report=report,
                entries={"LOP_KH": f"{step + 2}", "LOP_TH": f"{step + 2}"},
                version=report.version,
            )
            return "corrected"

        results = run_together(approve, correct)

        stored = Report.objects.get(pk=monthly.pk)
        assert len(_refusals(results)) == 1, (step, results)
        assert isinstance(_refusals(results)[0], ValidationError), results
        if "approved" in results:
            # approved with the figures the manager saw; the correction was refused, untouched
            assert stored.state == ReportState.APPROVED
            assert _values(stored) == seen_values
            outcomes.add("approved")
            return  # an approved report stays approved; one round of each outcome suffices
        assert stored.state == ReportState.DRAFT
        assert _values(stored)["LOP_KH"] == (step + 2) * SCALE
        outcomes.add("corrected")
    assert outcomes


def test_an_approval_of_the_version_shown_is_refused_after_a_correction_was_sent(world, monthly):
    """The manager opened the report; meanwhile the commune withdrew it, changed a figure and
    sent it again. The manager's click must not approve figures they never saw."""
    commune_manager = UserFactory(username="lanhdaoxa", role=Role.MANAGER, unit=world.commune)
    report_save(
        actor=world.commune_staff, report=monthly, entries={"LOP_KH": "1", "LOP_TH": "1"}, version=0
    )
    report_submit(actor=world.commune_staff, report=monthly)
    shown = Report.objects.get(pk=monthly.pk)
    monthly = report_withdraw(actor=world.commune_staff, report=monthly)
    report_save(
        actor=world.commune_staff,
        report=monthly,
        entries={"LOP_KH": "9", "LOP_TH": "9"},
        version=monthly.version,
    )
    report_submit(actor=world.commune_staff, report=monthly)

    with pytest.raises(ValidationError, match="sau khi bạn mở; chưa duyệt"):
        report_approve(actor=commune_manager, report=shown, version=shown.version)
    assert Report.objects.get(pk=monthly.pk).state == ReportState.SUBMITTED
    fresh = Report.objects.get(pk=monthly.pk)
    report_approve(actor=commune_manager, report=fresh, version=fresh.version)
    assert Report.objects.get(pk=monthly.pk).state == ReportState.APPROVED


# (c) two officers grouping one report into different concerns --------------------------------


def test_one_report_grouped_into_two_concerns_at_once_ends_in_exactly_one(world):
    # the topics a migration made are gone from a flushed (transaction=True) database
    Topic.objects.get_or_create(code="moi-truong", defaults={"name": "Môi trường"})
    officer = UserFactory(username="tinh2", role=Role.MANAGER, unit=world.province)
    first = concerns.concern_open(
        actor=world.province_manager,
        reports=[submit(world.collaborator, title="Khói bụi nhà máy gạch")],
        title="Khói bụi",
        topic=topic(),
    )
    second = concerns.concern_open(
        actor=officer,
        reports=[submit(world.collaborator, title="Nước sông đổi màu")],
        title="Nước sông",
        topic=topic(),
    )
    for step in range(ROUNDS):
        report = submit(world.collaborator, title=f"Bụi và nước bẩn ở thôn {step}")

        def attach(actor, concern, report=report):
            def job():
                concerns.reports_attach(
                    actor=actor, concern=concern, reports=[ConcernReport.objects.get(pk=report.pk)]
                )
                return concern.pk

            return job

        def open_new(report=report):
            made = concerns.concern_open(
                actor=officer,
                reports=[ConcernReport.objects.get(pk=report.pk)],
                title="Vấn đề mới",
                topic=topic(),
            )
            return made.pk

        rivals = (attach(officer, second), open_new) if step % 2 else (attach(officer, second),)
        results = run_together(attach(world.province_manager, first), *rivals)

        refused = _refusals(results)
        assert len(refused) == len(results) - 1, (step, results)
        for error in refused:
            assert isinstance(error, ValidationError), results
            assert "đã được phân loại vào một vấn đề khác" in " ".join(error.messages)
        winner = next(r for r in results if not isinstance(r, Exception))
        report.refresh_from_db()
        assert report.concern_id == winner
        # the counts of every concern are those of the reports it really holds
        for concern in Concern.objects.all():
            assert concern.report_count == concern.reports.count(), (step, concern.title)


# (d) two sends of one document ------------------------------------------------------------


def test_two_sends_of_one_document_to_the_same_units_give_each_unit_its_steps_once(world):
    directive = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="Kết luận số 01-KL/TƯ",
        issued_on=date(2021, 5, 18),
        title="Tiếp tục thực hiện Chỉ thị 05-CT/TW",
    )
    plan = [StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, days_after=30)]
    receivers = [world.commune, world.commune2, world.office]
    colleague = UserFactory(username="tinh2", role=Role.MANAGER, unit=world.province)

    def send(actor, units):
        def job():
            return directive_send(
                actor=actor,
                directive=directive,
                sender=world.province,
                receivers=units,
                plan=plan,
                sent_on=date(2026, 3, 2),
            ).assigned

        return job

    results = run_together(
        send(world.province_manager, receivers), send(colleague, list(reversed(receivers)))
    )

    # Sending again is harmless: both succeed, the second finds every unit served already.
    assert sorted(results) == [0, 3], results
    for unit in receivers:
        assert Assignment.objects.filter(directive=directive, unit=unit).count() == 1
        steps = Step.objects.filter(directive=directive, unit=unit)
        assert sorted(steps.values_list("kind", flat=True)) == sorted(p.kind for p in plan)
    obligations = Obligation.objects.filter(kind=ObligationKind.DIRECTIVE_STEP)
    assert obligations.count() == len(receivers) * len(plan)
    assert Dispatch.objects.filter(directive=directive).count() == 2
