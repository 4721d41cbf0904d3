"""The units a sender may pick by hand, as a tree: its children, each with the units below it.

The send page draws the children only (`receiver_groups`: two queries, a row per commune or
agency, with the number of units below each), and receiver-picker.js fetches the units below
them once, as JSON (`receiver_members`), to fill the tree: a province has ~1,400 cells, which
are neither loaded nor rendered to draw the page. Without JavaScript the page links to itself
with the whole tree rendered (`receiver_tree`, one query whatever the size of the subtree); the
rows are written by the page's template, never one widget template per checkbox.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from tuyengiao.org.models import STEP, Kind, Level, Unit

from .queries import receivers_for


@dataclass
class PickRow:
    pk: int
    name: str
    kind: str
    parent: str  # the parent's name, shown beside look-alike names ("Chi bộ Tổ dân phố số 1")
    key: str  # the diacritics-free search key of the name and the parent's name

    def as_list(self) -> list:
        """The row as receiver-picker.js reads it: [pk, name, kind, parent, key]."""
        return [self.pk, self.name, self.kind, self.parent, self.key]


@dataclass
class PickGroup:
    unit: PickRow
    level: str
    # the units below it in tree order: all of them (`receiver_tree`), or on the send page only
    # those ticked already (receiver-picker.js adds the others)
    members: list[PickRow] = field(default_factory=list)
    below: int = 0  # how many units are below it
    cells: int = 0  # how many of them are party cells

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE


def _row(pk, name, kind, parent_name, key, parent_key) -> PickRow:
    return PickRow(pk, name, kind, parent_name, f"{key} {parent_key}".strip())


def receiver_tree(user, sender: Unit) -> list[PickGroup]:
    """The active units below `sender` that the user may send to, grouped under the sender's
    children (communes and agencies of a province; cells of a commune)."""
    rows = list(
        receivers_for(user, sender).values_list(
            "pk", "name", "kind", "level", "path", "parent_id", "search_key"
        )
    )
    names = {sender.pk: (sender.name, sender.search_key)}
    names.update({pk: (name, key) for pk, name, _k, _l, _p, _pa, key in rows})
    head = len(sender.path) + STEP
    groups: dict[str, PickGroup] = {}
    for pk, name, kind, level, path, parent_id, key in rows:
        parent_name, parent_key = names.get(parent_id, ("", ""))
        row = _row(pk, name, kind, parent_name, key, parent_key)
        if len(path) == head:
            groups[path] = PickGroup(unit=row, level=level)
        elif path[:head] in groups:  # below a child the user may not change: not offered
            group = groups[path[:head]]
            group.members.append(row)
            group.below += 1
            group.cells += kind == Kind.CELL
    return _in_order(groups.values())


def _in_order(groups: Iterable[PickGroup]) -> list[PickGroup]:
    # Children by name (the search key: accents aside, the Vietnamese order), their members in
    # the tree's order, which keeps "số 1, số 2, … số 10" in sequence.
    return sorted(groups, key=lambda g: g.unit.key)


def receiver_groups(user, sender: Unit, picked: Iterable[int] = ()) -> list[PickGroup]:
    """The sender's children that the user may send to, each with the number of units below
    it (and of cells among them), and as members only the `picked` units below it: the send
    page's tree before receiver-picker.js fills it (`receiver_members`). Two queries, and a
    third when units are picked."""
    receivers = receivers_for(user, sender)
    head = len(sender.path) + STEP
    groups = {
        path: PickGroup(unit=_row(pk, name, kind, sender.name, key, sender.search_key), level=lv)
        for pk, name, kind, lv, path, key in receivers.filter(parent=sender).values_list(
            "pk", "name", "kind", "level", "path", "search_key"
        )
    }
    counts = (
        receivers.exclude(parent=sender)
        .annotate(head=Substr("path", 1, head))
        .values("head")
        .annotate(below=Count("pk"), cells=Count("pk", filter=Q(kind=Kind.CELL)))
        .order_by()
    )
    for item in counts:
        if group := groups.get(item["head"]):
            group.below, group.cells = item["below"], item["cells"]
    picked = set(picked)
    if picked:
        chosen = (
            receivers.exclude(parent=sender)
            .filter(pk__in=picked)
            .values_list(
                "pk", "name", "kind", "path", "search_key", "parent__name", "parent__search_key"
            )
        )
        for pk, name, kind, path, key, parent_name, parent_key in chosen:
            if group := groups.get(path[:head]):
                group.members.append(_row(pk, name, kind, parent_name, key, parent_key))
    return _in_order(groups.values())


def receiver_members(user, sender: Unit) -> dict[str, list[list]]:
    """The units below each of the sender's children that the user may send to, in tree order,
    by the child's id: what receiver-picker.js puts under each child of the send page."""
    return {
        str(group.unit.pk): [member.as_list() for member in group.members]
        for group in receiver_tree(user, sender)
    }
