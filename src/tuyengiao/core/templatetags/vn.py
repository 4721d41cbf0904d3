"""Template filters that print numbers, rates and dates the Vietnamese way (24.193; 98,32%)."""

from django import template

from tuyengiao.core.period_names import period_label as name_of_period
from tuyengiao.text import format_date, format_number, format_percent, format_rate

register = template.Library()


@register.filter
def vn_number(value, decimals=0):
    return format_number(value, int(decimals)) if value not in (None, "") else ""


@register.filter
def vn_percent(value, decimals=2):
    return format_percent(value, int(decimals)) if value not in (None, "") else "–"


@register.filter
def vn_rate(numerator, denominator):
    return format_rate(numerator, denominator) or "–"


@register.filter
def vn_date(value):
    return format_date(value) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for filters and pagination)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def history_url(obj):
    """The audit history page of a domain object."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    content_type = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[content_type.pk, obj.pk])


@register.filter
def period_label(value):
    """A period (or its id) by its name in the active language: "Quý III/2024", "Q3 2024"."""
    return name_of_period(value) if value else ""
