"""Keep obligations in step when the organisation tree changes.

Moves need nothing here: `unit_path` follows the unit (`UnitRecord.move_paths`). When a unit
is merged into another, what it still owes from the merge date passes to its successor.
"""

from django.dispatch import receiver

from tuyengiao.org import signals

from .services import obligations_pass_on


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    obligations_pass_on(actor=actor, unit=unit, on=on)
