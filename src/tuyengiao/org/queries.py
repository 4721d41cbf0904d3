"""Reads of the organisation tree that pages, API and exports share. All of them are scoped."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404

from tuyengiao.core.params import id_param, parse_id
from tuyengiao.text import search_key

from .models import STEP, Kind, Unit, User, within
from .scope import Action, get_for_user, restrict


def units_for(user, action: Action = Action.VIEW):
    return restrict(Unit.objects.all(), user, action)


def unit_for(user, pk: int, action: Action = Action.VIEW) -> Unit:
    return get_for_user(Unit.objects.select_related("parent", "successor"), user, action, pk=pk)


def units_by_id(user, ids) -> list[Unit]:
    """The units with these ids that lie in the user's scope, in tree order."""
    return list(units_for(user).filter(pk__in=ids).order_by("path"))


def children_for(user, unit: Unit):
    """The sub-units of `unit` that the user may see, by name."""
    return units_for(user).filter(parent=unit).order_by("sort_key", "name")


def with_children(units) -> set[int]:
    """The ids of those of `units` that have sub-units (a drill-down leads somewhere)."""
    return set(
        Unit.objects.filter(parent__in=[u.pk for u in units])
        .values_list("parent_id", flat=True)
        .distinct()
    )


def without_cells(units, keep: Unit | None = None):
    """The units worth listing in a select: committees and agencies, not party cells (except
    `keep`, the user's own unit when it is one)."""
    if keep is None:
        return units.exclude(kind=Kind.CELL)
    return units.filter(~Q(kind=Kind.CELL) | Q(pk=keep.pk))


def places_below(unit: Unit):
    """The units in force right below `unit` that are places (committees and cells, not its
    agencies), in Vietnamese alphabetical order."""
    return Unit.objects.filter(parent=unit).exclude(kind=Kind.AGENCY).active().order_by("sort_key")


def tree_ordered(units) -> list[Unit]:
    """`units` in the order of an indented list: each after its parent, sister units in
    Vietnamese alphabetical order (their sort keys), so "Xã Đại Phúc" comes before "Xã Yên
    Lạc" whatever order they were created in. One query for the ancestors not among them."""
    units = list(units)
    keys = {u.path: (u.sort_key, u.path) for u in units}
    missing = {p for u in units for p in u.ancestor_paths()} - keys.keys()
    if missing:
        rows = Unit.objects.filter(path__in=missing).values_list("path", "sort_key")
        keys.update({path: (key, path) for path, key in rows})

    def place(unit: Unit) -> list[tuple[str, str]]:
        return [keys.get(p, ("", p)) for p in (*unit.ancestor_paths(), unit.path)]

    return sorted(units, key=place)


def home_unit(user) -> Unit | None:
    if user.unit_id:
        return user.unit
    return units_for(user).order_by("path").first()


def viewed_unit(user, raw: str | None = None) -> Unit:
    """The unit a page is asked about (`?unit=<id>`; 404 outside the scope or for what is not
    an id), or, when none is named, the user's own (403 for an account with none)."""
    if raw not in (None, ""):
        pk = parse_id(raw)
        if pk is None:
            raise Http404
        return unit_for(user, pk)
    unit = home_unit(user)
    if unit is None:
        raise PermissionDenied
    return unit


def unit_asked(request, params=None) -> Unit:
    """The unit a page is asked about in its `unit` parameter (of the query string, or of
    `params`), as `viewed_unit` reads it: the one helper every page uses."""
    return viewed_unit(request.user, (request.GET if params is None else params).get("unit"))


def unit_param(user, raw, name: str = "unit", action: Action = Action.VIEW) -> Unit | None:
    """The unit an API call names in parameter `name`: None when absent, a 400 by field when
    it is not an id, 404 outside the user's scope (for `action`)."""
    if raw in (None, ""):
        return None
    return unit_for(user, id_param(name, raw), action)


def breadcrumb(user, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the user may see, from the top of their scope down."""
    return list(units_for(user).filter(path__in=unit.ancestor_paths()).order_by("path"))


def children_with_counts(unit: Unit) -> list[Unit]:
    """The unit's children, each with the size of its subtree and its number of accounts.

    Three queries whatever the number of children: the children, then one grouped count of
    descendants and one of accounts, keyed by the child's path prefix.
    """
    children = list(Unit.objects.filter(parent=unit))
    # Active units first, agencies at the head of them, then by name.
    children.sort(key=lambda u: (not u.is_active, u.kind != "agency", u.sort_key, u.name))
    width = (unit.depth + 1) * STEP
    below = dict(
        Unit.objects.subtree(unit)
        .filter(path__gt=unit.path)
        .annotate(head=Substr("path", 1, width))
        .values("head")
        .annotate(n=Count("id"))
        .values_list("head", "n")
    )
    people = dict(
        User.objects.filter(within("unit__path", unit.path), is_active=True)
        .annotate(head=Substr("unit__path", 1, width))
        .values("head")
        .annotate(n=Count("id"))
        .values_list("head", "n")
    )
    for child in children:
        child.subtree_size = below.get(child.path, 1) - 1
        child.user_count = people.get(child.path, 0)
    return children


def units_matching(user, query: str, *, units=None):
    """Units in scope (or of `units`) whose name holds every word of the query, diacritics
    ignored, in Vietnamese alphabetical order; none for an empty query."""
    words = search_key(query).split()
    units = units_for(user) if units is None else units
    if not words:
        return units.none()
    condition = Q()
    for word in words:
        condition &= Q(search_key__contains=word)
    return units.filter(condition).select_related("parent").order_by("sort_key", "path")


def search_units(user, query: str, limit: int = 50, *, units=None) -> list[Unit]:
    """The first `limit` of `units_matching`."""
    return list(units_matching(user, query, units=units)[:limit])


def users_for(user, action: Action = Action.MANAGE_USERS):
    return restrict(User.objects.select_related("unit"), user, action)


def merge_targets(user, unit: Unit):
    """The units in force beside `unit` (same parent) that it may be merged into, in
    Vietnamese order."""
    return (
        units_for(user, Action.ADMINISTER)
        .filter(parent_id=unit.parent_id)
        .exclude(pk=unit.pk)
        .active()
        .order_by("sort_key", "name")
    )


def search_users(user, query: str = ""):
    """The accounts the user manages, in Vietnamese order of their units' names, then of the
    people's (given name first); with `query`, those whose user name, name or unit's name
    (diacritics optional) holds it."""
    users = users_for(user).order_by("unit__sort_key", "unit__path", "sort_key", "username")
    query = query.strip()
    if not query:
        return users
    return users.filter(
        Q(username__icontains=query)
        | Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(unit__search_key__contains=search_key(query))
    )
