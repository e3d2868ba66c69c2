"""The elder's fields, declared once. The admin's fieldsets, the API's fields, the worker's form,
the service's editable fields, the file page's basic section and the Excel columns are read from
here, so a new model field is added to a group below and appears everywhere at once.

A field is left out of one interface only by the rules written here (the ID number decides sex
and birth date; the status changes through its own service; the record's bookkeeping is shown,
never set). `elders/tests/test_fields.py` fails when a model field is in no group and not in
`INTERNAL` on purpose.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

IDENTITY = ("id_number", "name", "sex", "birth_date", "residence", "hukou_region", "address", "phone")
CIRCUMSTANCES = (
    "living_arrangement",
    "economic_status",
    "disability_grade",
    "is_left_behind",
    "is_family_planning_special",
    "is_childless_widowed",
    "is_veteran",
    "is_special_contribution",
)
STATUS = ("status", "status_date", "death_date", "registered_on", "notes")
RECORD = ("created_by", "created_at", "updated_at")

# In the order a file is read: the admin's fieldsets and every other list below follow it.
GROUPS = (
    (None, IDENTITY),
    (_("Circumstances"), CIRCUMSTANCES),
    (_("Status"), STATUS),
    (_("Record"), RECORD),
)

# Model fields no interface lists, on purpose.
INTERNAL = {
    "id": "the key; the API and the page address a file by it",
    "name_initials": "the name's pinyin initials, kept for the search (rules.name_initials)",
}

# Derived from the ID number on every write: shown, never set.
DERIVED = ("sex", "birth_date")
# Changed only by the status decision (a death, a move away, a return) with its date and reason.
DECIDED = ("status", "status_date", "death_date")

# What a caller may set through elders.services (the form, the API, the import).
EDITABLE = tuple(name for _title, names in GROUPS[:3] for name in names if name not in DERIVED + DECIDED)
# The API's fields: everything but the bookkeeping; the status is written through its decision.
API = ("id", *(name for _title, names in GROUPS[:3] for name in names))
# The Excel columns (export and import): the file without its dates of status and notes.
EXCEL = (*IDENTITY, *CIRCUMSTANCES, "status", "registered_on")
# The file page shows these generically in its basic section (identity and status have their own
# rows: masked numbers, the full residence name, the dates that only show when set).
FILE_PAGE = CIRCUMSTANCES
