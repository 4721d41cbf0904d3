"""The unit page's oversight panel: the inspections that visited the unit, its subtree's open
recommendations and its recurring shortcomings (`{% unit_oversight unit %}`): four queries
(five when a shortcoming recurs), whatever the number of units below."""

from django import template
from django.utils import timezone

from tuyengiao.org.scope import Action, can

from .. import queries
from ..models import WorkArea

register = template.Library()

SHOWN = 8


@register.inclusion_tag("oversight/_unit_panel.html", takes_context=True)
def unit_oversight(context, unit):
    user = context["request"].user
    if not can(user, Action.VIEW):
        return {"shown": False}
    today = timezone.localdate()
    recommendations = list(queries.open_recommendations(user, unit)[: SHOWN + 1])
    for recommendation in recommendations:
        recommendation.due_state = queries.recommendation_state(recommendation, today)
    # the unit's own: its fields named a shortcoming in two conclusions or more of the window
    counts = {pk: n for pk, n in queries.recurring_for_unit(unit, today=today).items() if n >= 2}
    areas = WorkArea.objects.in_bulk(list(counts)) if counts else {}
    recurring = [(areas[pk], n) for pk, n in counts.items() if pk in areas]
    return {
        "shown": True,
        "unit": unit,
        "inspections": queries.inspections_of_unit(user, unit, limit=SHOWN),
        "recommendations": recommendations[:SHOWN],
        "more": len(recommendations) > SHOWN,
        "recurring": recurring,
    }
