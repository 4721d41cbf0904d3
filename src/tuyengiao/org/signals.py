"""Restructuring events that other packages keep their own data in step with.

Receivers run inside the restructuring transaction, so a failure undoes the whole change.
"""

from django.dispatch import Signal

# unit (after the move), old_ancestors and new_ancestors: ids of the ancestors it left and joined
unit_moved = Signal()
# unit, on (the closing date), actor
unit_closed = Signal()
