import uuid

from django import template
from django.utils.html import format_html

from eldercare.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_key_input(context):
    """The form's hidden key: the one posted when the form comes back with errors, else new.

    Every submission of one filled form carries one key, so a double tap records once.
    """
    request = context.get("request")
    posted = request.POST.get(FORM_FIELD, "") if request is not None and request.method == "POST" else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, posted or uuid.uuid4())
