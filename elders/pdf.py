"""The printed elder's file (一人一档): the registry's own parts and the assembly of every app's
printed section (`file_sections`, `printed=`), in the page's order."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from eldercare import pdf

from .file_sections import sections
from .rules import mask_phone


def basic_part(ctx: dict, elder, unmasked: bool) -> list:
    rows = [
        (_("Name"), elder.name),
        (_("Sex"), elder.get_sex_display()),
        (_("ID number"), elder.id_number if unmasked else elder.masked_id_number),
        # The masked middle of an ID number is the birth date: a masked reader sees the age.
        (_("Birth date"), f"{elder.birth_date:%Y-%m-%d}")
        if unmasked
        else (_("Age"), _("%(age)s years") % {"age": elder.age}),
        (_("Status"), elder.get_status_display()),
        (_("Registered on"), f"{elder.registered_on:%Y-%m-%d}"),
        (_("Residence"), ctx["residence_name"]),
        (_("Household registration"), elder.hukou_region.name if elder.hukou_region_id else ""),
        (_("Address"), elder.address),
        (_("Phone"), elder.phone if unmasked else elder.masked_phone),
        *((str(label).capitalize(), value) for label, value in ctx["circumstances"]),
        (_("Categories"), "、".join(ctx["categories"])),
    ]
    if ctx["flags"]:
        rows.append((_("Circumstances"), "、".join(str(f) for f in ctx["flags"])))
    if elder.death_date:
        rows.append((_("Date of death"), f"{elder.death_date:%Y-%m-%d}"))
    parts = [pdf.fields(rows)]
    if elder.notes:
        parts += [pdf.spacer(2), pdf.text(_("Notes") + "：" + elder.notes)]
    return parts


def contacts_part(ctx: dict, elder, unmasked: bool) -> list:
    return [
        pdf.table(
            [_("Name"), _("Relation"), _("Guardian"), _("Phone"), _("Notes")],
            [
                (
                    c.name,
                    c.get_relation_display(),
                    pgettext("guardian", "yes") if c.is_guardian else "",
                    c.phone if unmasked else mask_phone(c.phone),
                    c.notes,
                )
                for c in ctx["contacts"]
            ],
            widths=[0.18, 0.14, 0.1, 0.22, 0.36],
        )
    ]


def elder_file(request, elder, *, unmasked: bool) -> bytes:
    """The file as the reader may see it: each printed section read through the same context
    function as the page (its scope and masking), under the section's title."""
    story = []
    for section in sections():
        if section.printed is None:
            continue
        story.append(pdf.heading(section.title))
        story.extend(section.printed(section.context(request, elder), elder, unmasked))
    frame = pdf.Frame(
        title=_("Elder's file: %(name)s") % {"name": elder.name},
        unit=pdf.reporting_unit(request.user, elder.residence.full_name()),
        on=timezone.localdate(),
    )
    story += [pdf.spacer(6), pdf.signature_lines([_("Filled in by"), _("Checked by")], seal=True)]
    return pdf.render(frame, story)
