"""Derived data only: an elder's stored membership of the visit target group (VisitStatus) is
re-checked whenever a fact it reads is saved — the elder's file or an ability result — so the due
list never waits for the nightly refresh to list an elder who just joined the group; a changed
pack or visit rule (which can move many files in or out at once) re-checks the files of its
region's cities in the background once the change is committed."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from elders.models import Elder


@receiver(post_save, sender=Elder, dispatch_uid="services.visit_status.elder")
def elder_saved(sender, instance: Elder, raw: bool = False, **kwargs) -> None:
    if not raw:
        from .services import note_target_group

        note_target_group(instance)


def ability_result_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        from .services import note_target_group

        note_target_group(instance.elder)


def sections_changed(sender, region, sections: list[str], **kwargs) -> None:
    from django.db import transaction

    from .policy import SECTION
    from .tasks import refresh_visit_status_task

    under = region.prefix if region is not None else ""
    # The counting rule is part of the visits section alone: the last counted visits are derived
    # again only when it may have changed.
    visits = SECTION in sections
    transaction.on_commit(lambda: refresh_visit_status_task.delay(visits=visits, under=under))


def connect() -> None:
    from django.apps import apps

    from policies.signals import sections_changed as changed

    changed.connect(sections_changed, dispatch_uid="services.visit_status.sections")

    if apps.is_installed("assessments"):
        for model in ("Assessment", "RecognisedResult"):
            post_save.connect(
                ability_result_saved,
                sender=apps.get_model("assessments", model),
                dispatch_uid=f"services.visit_status.{model}",
            )
