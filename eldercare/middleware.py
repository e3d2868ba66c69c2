import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; bureau PCs often run
    English-language browsers, and the portal's default must still be Chinese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleSessionMiddleware(SessionMiddleware):
    """Sessions expire after SESSION_COOKIE_AGE without a request (the idle timeout), and each
    request of a signed-in account renews that window, but writes the session at most once every
    SESSION_RENEW_SECONDS: saving it on every request cost every page a database write and commit
    (the session table is the one written on every click). A session thus expires between
    SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE after the last request.
    """

    RENEWED = "_renewed_at"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        # Only a session that holds a signed-in account: an anonymous visitor with a stale
        # cookie must not get a session row for a timestamp.
        if session is not None and session.accessed and session.get(SESSION_KEY):
            now = int(time.time())
            if session.modified or now - session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.RENEWED] = now  # marks it modified: saved, its expiry renewed
        return super().process_response(request, response)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every API answer and every page a signed-in user gets.

    Those answers carry personal data (names, ID numbers, phones, circumstances): no shared
    proxy or browser disk cache may keep them. An answer that sets its own Cache-Control (a
    static asset, the offline app's manifest) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class RefuseNulMiddleware:
    """A query string with a NUL character is a 400: PostgreSQL cannot compare such text, so a
    filter or lookup with it would end in a database error. (Bodies: eldercare.drf's parsers.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            message = _("Text may not contain the NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


# Set in the session at sign-in when the account holds a temporary password (regions.signals).
MUST_CHANGE_PASSWORD = "must_change_password"


class PasswordChangeRequiredMiddleware:
    """An account signed in with a temporary password an administrator issued opens no page but
    the password change until it has chosen its own (reading the session only: no query)."""

    # What such an account may still reach: the change itself, signing out, and the page assets.
    ALLOWED = ("/accounts/", "/static/", "/i18n/", "/manifest", "/sw.js", "/offline")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MUST_CHANGE_PASSWORD)
            and not request.path.startswith(self.ALLOWED)
        ):
            message = _("You signed in with a temporary password: choose your own password first.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            messages.warning(request, message)
            return redirect("password-change")
        return self.get_response(request)
