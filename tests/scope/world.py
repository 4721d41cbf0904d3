"""A populated world for the scope walk: in each of three subtrees one object of every kind,
whose free text carries the subtree's marker ("MK-BRAVO …"), so that a page, an export or a
file that shows another subtree's data is caught by the marker alone.

Zones: ALPHA = Chi bộ A1a of Xã A1 (what the commune staff and the cell viewer see), BRAVO =
Xã A2, the sibling commune, CHARLIE = Xã B1 of Tỉnh B, MINE = the collaborator's own report
(at Chi bộ A1a). A notice to a person carries a marker of that person alone.
"""

from dataclasses import dataclass, field
from datetime import date

from tests.concerns.conftest import png, submit
from tests.factories import ObligationFactory, UnitFactory, UserFactory, send
from tests.figures.conftest import build_forms
from tests.narratives.conftest import marked as marked_narrative
from tests.outreach.conftest import marked as marked_outreach
from tests.oversight.conftest import marked as marked_oversight
from tests.training.conftest import marked as marked_training
from tests.uploads import PDF_BYTES, upload
from tuyengiao.concerns.bodies import body_add
from tuyengiao.concerns.services import concern_forward, concern_open
from tuyengiao.concerns.services import summary_save as concern_summary_save
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register, step_record
from tuyengiao.figures.services import report_open, report_save
from tuyengiao.notifications.services import notify
from tuyengiao.org.models import Kind, Role, Unit
from tuyengiao.org.services import unit_update
from tuyengiao.periods import Period

ZONES = ("ALPHA", "BRAVO", "CHARLIE", "MINE")


def marker(zone: str, what: str = "") -> str:
    return f"MK-{zone} {what}".strip()


def notice_marker(user) -> str:
    return f"MK-NOTE{user.pk}X"


def file_bytes(zone: str) -> bytes:
    """A PDF whose bytes carry the zone's marker, so that a download is checked like a page."""
    return PDF_BYTES + f"% {marker(zone, 'FILE')}\n".encode()


@dataclass
class Zone:
    name: str
    unit: Unit  # where its objects are (a cell); ?unit= points here
    registrar: Unit  # the committee that registers and sends its directive
    user: object = None
    obligation: object = None
    directive: object = None
    step: object = None
    report: object = None
    concern_report: object = None
    concern: object = None
    summary: object = None
    body: object = None
    extra: dict = field(default_factory=dict)


def _fill(world, zone: Zone, number: int, reporter) -> None:
    m = lambda what: marker(zone.name, what)  # noqa: E731
    zone.user = UserFactory(
        username=f"mk{zone.name.lower()}",
        unit=zone.unit,
        role=Role.STAFF,
        first_name=m("FIRST"),
        last_name="USER",
        position=m("POSITION"),
    )
    zone.obligation = ObligationFactory(unit=zone.unit, title=m("TASK"), due_on=date(2026, 12, 1))
    zone.directive = directive_register(
        actor=None,
        unit=zone.registrar,
        symbol=f"{number}-KL/TW",
        issued_on=date(2021, 5, 18),
        title=m("DIRECTIVE"),
        summary=m("DIRSUMMARY"),
        attachment=upload("van-ban.pdf", file_bytes(zone.name), "application/pdf"),
    )
    send(
        zone.directive,
        zone.registrar,
        [zone.unit],
        [StepPlan(StepKind.REPORT, days_after=10), StepPlan(StepKind.STUDY, days_after=20)],
        date(2026, 11, 1),
    )
    zone.step = Step.objects.get(directive=zone.directive, unit=zone.unit, kind=StepKind.REPORT)
    step_record(
        actor=None,
        step=zone.step,
        done_on=date(2026, 11, 5),
        report_text=m("STEPREPORT"),
        report_file=upload("bao-cao.pdf", file_bytes(zone.name), "application/pdf"),
    )
    zone.step.refresh_from_db()
    zone.report = report_open(
        actor=None, data_set=world.forms.monthly, unit=zone.unit, period=Period.parse("2026-10")
    )
    report_save(
        actor=None,
        report=zone.report,
        entries={"GHI_CHU": m("FIGURE"), "LOP_KH": "5", "LOP_TH": "4"},
        version=zone.report.version,
    )
    zone.report.refresh_from_db()
    zone.concern_report = submit(
        reporter, unit=zone.unit, title=m("REPORT"), content=m("CONTENT"), photos=[png()]
    )
    zone.summary = concern_summary_save(
        actor=None,
        unit=zone.unit,
        kind="week",
        start=date(2026, 11, 16),
        end=date(2026, 11, 22),
        text=m("SUMMARYTEXT"),
    )
    zone.body = body_add(actor=None, unit=zone.unit, name=m("BODY"))


def _concern(reports, *, zone: str, responsible: Unit):
    grouped = list(reports)
    concern = concern_open(
        actor=None,
        reports=grouped,
        title=marker(zone, "CONCERN"),
        description=marker(zone, "DESCRIPTION"),
        topic=grouped[0].topic,
    )
    return concern_forward(
        actor=None,
        concern=concern,
        responsible=responsible,
        due_on=date(2026, 12, 15),
        note=marker(zone, "FORWARDNOTE"),
    )


def populate(world, settings, tmp_path) -> dict[str, Zone]:
    """The marked objects of every zone; the world gains `commune2_manager` and `zones`."""
    settings.MEDIA_ROOT = tmp_path
    world.forms = build_forms()
    world.commune2_manager = UserFactory(username="xa2", unit=world.commune2, role=Role.MANAGER)
    unit_update(actor=None, unit=world.cell, short_name=marker("ALPHA", "UNIT"))
    bravo_cell = UnitFactory(
        parent=world.commune2, name=f"Chi bộ {marker('BRAVO', 'UNIT')}", kind=Kind.CELL
    )
    charlie_cell = UnitFactory(
        parent=world.other_commune, name=f"Chi bộ {marker('CHARLIE', 'UNIT')}", kind=Kind.CELL
    )
    zones = {
        "ALPHA": Zone("ALPHA", world.cell, world.commune),
        "BRAVO": Zone("BRAVO", bravo_cell, world.commune2),
        "CHARLIE": Zone("CHARLIE", charlie_cell, world.other_commune),
    }
    for number, (zone, reporter) in enumerate(
        (
            (zones["ALPHA"], world.province_admin),
            (zones["BRAVO"], world.province_admin),
            (zones["CHARLIE"], world.neighbour),
        ),
        start=11,
    ):
        _fill(world, zone, number, reporter)
    # ALPHA's concern is the province's, forwarded to Xã A1, and holds a report of Xã A2 too:
    # the list embedded in its page must keep that report to the offices that see Xã A2.
    cross = submit(
        world.province_admin, unit=world.cell, title=marker("ALPHA", "GROUPED"), photos=[png()]
    )
    neighbour_report = submit(
        world.province_admin, unit=bravo_cell, title=marker("BRAVO", "CROSSREPORT")
    )
    zones["ALPHA"].concern = _concern(
        [cross, neighbour_report], zone="ALPHA", responsible=world.commune
    )
    for name in ("BRAVO", "CHARLIE"):
        zone = zones[name]
        grouped = submit(
            world.province_admin if name == "BRAVO" else world.neighbour,
            unit=zone.unit,
            title=marker(name, "GROUPED"),
        )
        zone.concern = _concern([grouped], zone=name, responsible=zone.registrar)
    for zone in (zones["ALPHA"], zones["BRAVO"], zones["CHARLIE"]):
        # the commune inspects its cell: plan, inspection, recommendation, conference
        zone.extra.update(marked_oversight(zone.registrar, zone.unit, marker(zone.name)))
        # speakers, sessions, models of the cell, replicated at the commune (outreach_*)
        outreach = marked_outreach(zone.registrar, zone.unit, marker(zone.name))
        zone.extra.update({f"outreach_{key}": obj for key, obj in outreach.items()})
        # a political centre of the commune, its plan and a class (training_*)
        training = marked_training(zone.registrar, marker(zone.name))
        zone.extra.update({f"training_{key}": obj for key, obj in training.items()})
        # a narrative report of the cell, its version's every text marked
        zone.extra["narrative"] = marked_narrative(zone.unit, marker(zone.name))
    mine = submit(
        world.collaborator,
        unit=world.cell,
        title=marker("MINE", "REPORT"),
        content=marker("MINE", "CONTENT"),
        photos=[png()],
    )
    zones["MINE"] = Zone("MINE", world.cell, world.commune, concern_report=mine)
    personas = (
        world.province_manager,
        world.commune_staff,
        world.cell_viewer,
        world.collaborator,
        world.commune2_manager,
        world.neighbour,
    )
    for person in personas:
        notify([person.pk], kind="concern_update", title=notice_marker(person), body="x")
    world.zones = zones
    return zones
