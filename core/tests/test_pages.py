"""A service's refusal lands on the page's form the one way, whatever its shape."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from core.pages import add_errors


class NoteForm(forms.Form):
    note = forms.CharField()


def bound() -> NoteForm:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    return form


def test_field_messages_go_beside_their_field_and_unknown_fields_to_the_top():
    form = bound()
    add_errors(form, ValidationError({"note": ["太短"], "elder": ["已去世"]}))
    assert form.errors["note"] == ["太短"]
    assert form.non_field_errors() == ["已去世"]


def test_a_message_without_a_field_and_a_refusal_go_to_the_top():
    # A plain ValidationError has no message_dict: reading it failed the page with a 500.
    form = bound()
    add_errors(form, ValidationError("此老人已去世。"))
    add_errors(form, PermissionDenied("您无权操作。"))
    assert form.non_field_errors() == ["此老人已去世。", "您无权操作。"]
