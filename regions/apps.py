from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and staff")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from .models import Region, StaffProfile
        from .roles import sync_role_groups
        from .scope import principals_changed
        from .signals import flag_temporary_password

        # Derived data only: the role groups follow the permission table in roles.py. It
        # runs after the last app's post_migrate, once every app's permissions exist.
        post_migrate.connect(sync_role_groups)
        user_logged_in.connect(flag_temporary_password, dispatch_uid="regions.temporary_password")
        # Who each account is (its role, region, prefix) is cached between requests.
        for model in (StaffProfile, Region):
            for signal in (post_save, post_delete):
                signal.connect(
                    principals_changed, sender=model, dispatch_uid=f"regions.principals.{model.__name__}"
                )
