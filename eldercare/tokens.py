"""API tokens: issued at `POST /api/v1/auth/token/`, bounded in time, revocable.

django-rest-knox stores each token hashed with an expiry (`API_TOKEN_TTL_HOURS`, a working
day by default). On top of it: the token endpoint is throttled per client and per username
and honours the django-axes lock-out like the login page; a token dies when its owner's
password changes (its `auth_hash` no longer matches), when the account is deactivated or
locked out, and when the owner revokes it (`POST /api/v1/auth/token/revoke/`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, throttling
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from regions.models import StaffProfile

from .clients import client_address
from .drf import ApiTokenAuthentication
from .models import ApiToken, revoke_tokens


def issue_token(*, user, address: str | None = None) -> tuple[str, datetime | None]:
    """A new token for `user` and when it expires (the plain text is shown once: only its hash is kept)."""
    instance, token = ApiToken.objects.create(
        user=user, auth_hash=user.get_session_auth_hash(), client_address=address
    )
    return token, instance.expiry


class _SettingsRateThrottle(throttling.SimpleRateThrottle):
    def get_rate(self):
        # Read at each request rather than once at import, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class ClientTokenThrottle(_SettingsRateThrottle):
    """Token requests per client address."""

    scope = "token_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request) or "unknown"}


class UsernameTokenThrottle(_SettingsRateThrottle):
    """Token requests per username, from wherever they come."""

    scope = "token_username"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        # Hashed: any text may be sent as a username, and cache keys must stay plain.
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("username"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("password"),
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class ObtainTokenView(APIView):
    """Exchange a username and password for a token (send it as `Authorization: Token …`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientTokenThrottle, UsernameTokenThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=gettext_lazy("Wrong username or password.")),
            403: OpenApiResponse(
                description=gettext_lazy("The account holds a temporary password it must change first.")
            ),
            429: OpenApiResponse(
                description=gettext_lazy("Too many attempts, or the account is locked out.")
            ),
        },
        auth=[],
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Django's request, not DRF's wrapper: django-axes marks a lock-out on it.
        user = authenticate(request._request, **body.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            raise exceptions.Throttled(
                detail=_("Too many failed logins: this account is locked for a while.")
            )
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        if StaffProfile.objects.filter(user=user, must_change_password=True).exists():
            # A temporary password was shown to an administrator: until its owner has chosen their
            # own, it must open nothing, the API included (the pages send it to the change form).
            raise exceptions.PermissionDenied(
                detail=_(
                    "This account holds a temporary password: change it on the portal's password "
                    "page first, then ask for a token again."
                )
            )
        token, expiry = issue_token(user=user, address=client_address(request))
        return Response(TokenSerializer({"token": token, "expiry": expiry}).data)


class RevokeRequestSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Revoke every token of this account, not only this one.")
    )


class RevokeTokenView(APIView):
    """The owner ends the token it calls with (or, with `all`, every token of the account)."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RevokeRequestSerializer,
        responses={204: OpenApiResponse(description=gettext_lazy("Revoked."))},
    )
    def post(self, request):
        body = RevokeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["all"]:
            revoke_tokens(user=request.user)
        else:
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def revoke_on_lockout(sender, request=None, username=None, **kwargs) -> None:
    """django-axes locked `username` out: its tokens must not outlive the lock-out."""
    from django.contrib.auth import get_user_model

    if username:
        ApiToken.objects.filter(user__in=get_user_model().objects.filter(username=username)).delete()


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: JSON on the API, the page elsewhere."""
    message = _("Too many failed logins: this account is locked for a while.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
