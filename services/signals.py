"""Derived data only: an elder's stored membership of the visit target group (VisitStatus) is
re-checked whenever a fact it reads is saved — the elder's file or an ability result — so the due
list never waits for the nightly refresh to list an elder who just joined the group."""

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


def connect() -> None:
    from django.apps import apps

    if apps.is_installed("assessments"):
        for model in ("Assessment", "RecognisedResult"):
            post_save.connect(
                ability_result_saved,
                sender=apps.get_model("assessments", model),
                dispatch_uid=f"services.visit_status.{model}",
            )
