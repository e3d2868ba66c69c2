from django.utils.functional import SimpleLazyObject


def staff_profile(request):
    """The signed-in account's role and region, for the page header (loaded only if shown)."""

    def load():
        from regions.scope import staff_profile as profile_of

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_superuser:  # sees everything: the scope never loaded a profile
            from regions.models import StaffProfile

            return StaffProfile.objects.select_related("region").filter(user_id=user.pk).first()
        # The same row the scope check of this request loaded: no second query for the header.
        return profile_of(user)

    return {"staff_profile": SimpleLazyObject(load)}


def offline_copy(request):
    """True when the service worker fetches the copy of a page it keeps on the device:
    templates then leave out personal data the worker's due lists do not need."""
    return {"offline_copy": request.headers.get("X-Offline-Copy") == "1"}


def offline_forms(request):
    """The blank forms the service worker may keep for this account, space-separated, computed only
    when a page renders them (its permissions are the ones the page's own checks loaded)."""

    def forms() -> str:
        from .pwa import blank_forms_for

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return " ".join(blank_forms_for(user))

    return {"offline_blank_forms": forms}
