"""The units a sender may pick by hand, as a tree: its children, each with the units below it.

One query whatever the size of the subtree (a province has ~1,400 cells); the page renders the
rows itself, since a form widget rendering one template per checkbox is far too slow for that.
"""

from dataclasses import dataclass, field

from tuyengiao.org.models import STEP, Kind, Level, Unit

from .queries import receivers_for


@dataclass
class PickRow:
    pk: int
    name: str
    kind: str
    parent: str  # the parent's name, shown beside look-alike names ("Chi bộ Tổ dân phố số 1")
    key: str  # the diacritics-free search key of the name and the parent's name


@dataclass
class PickGroup:
    unit: PickRow
    level: str
    members: list[PickRow] = field(default_factory=list)  # every unit below it, in tree order

    @property
    def cells(self) -> int:
        return sum(1 for m in self.members if m.kind == Kind.CELL)

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE


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
        row = PickRow(pk, name, kind, parent_name, f"{key} {parent_key}".strip())
        if len(path) == head:
            groups[path] = PickGroup(unit=row, level=level)
        elif path[:head] in groups:  # below a child the user may not change: not offered
            groups[path[:head]].members.append(row)
    # Children by name (the search key: accents aside, the Vietnamese order), their members in
    # the tree's order, which keeps "số 1, số 2, … số 10" in sequence.
    return sorted(groups.values(), key=lambda g: g.unit.key)
