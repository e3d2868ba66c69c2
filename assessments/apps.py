from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Ability assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import Assessment, RecognisedResult

        for model in (Assessment, RecognisedResult):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.grades_written,
                    sender=model,
                    dispatch_uid=f"assessments.grades.{model.__name__}",
                )
