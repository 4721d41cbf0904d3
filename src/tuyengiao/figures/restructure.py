"""Keep figures in step when the organisation tree changes."""

from django.dispatch import receiver

from tuyengiao.org import signals

from . import rollup
from .services import report_for_closed_unit


@receiver(signals.unit_moved)
def _unit_moved(sender, unit, old_ancestors, new_ancestors, **kwargs):
    rollup.shift(unit, old_ancestors, new_ancestors)


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    report_for_closed_unit(unit=unit, on=on, actor=actor)
