"""The CSRF failure page in the portal's layout and language (Django's own is English)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason (a developer's English sentence) is logged by Django, never shown.
    return render(request, "403_csrf.html", status=403)
