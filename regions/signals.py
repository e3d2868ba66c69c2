"""Sign-in: an account holding a temporary password is sent to change it (the middleware reads
the session, so the check costs one query at sign-in, none per page)."""

from eldercare.middleware import MUST_CHANGE_PASSWORD

from .models import StaffProfile


def flag_temporary_password(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if StaffProfile.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHANGE_PASSWORD] = True
