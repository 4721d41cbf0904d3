"""The unit page's oversight panel: the inspections that visited the unit, its subtree's open
recommendations and its recurring shortcomings (`{% unit_oversight unit %}`)."""

from django import template
from django.utils import timezone

from tuyengiao.org.scope import Action, can

from .. import queries

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
    recurring = [
        r for r in queries.recurring_shortcomings(user, unit, today=today) if r.unit == unit
    ]
    return {
        "shown": True,
        "unit": unit,
        "inspections": queries.inspections_of_unit(user, unit, limit=SHOWN),
        "recommendations": recommendations[:SHOWN],
        "more": len(recommendations) > SHOWN,
        "recurring": recurring,
    }
