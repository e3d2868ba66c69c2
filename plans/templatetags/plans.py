"""Figures as a leader reads them: counts whole, rates with %, money in yuan."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value, kind: str = "count") -> str:
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if kind in ("count", ""):
        return floatformat(value, "-2")
    if kind == "rate":
        return f"{floatformat(value, 1)}%"
    if kind == "money":
        return floatformat(value, 2)
    return floatformat(value, 1)
