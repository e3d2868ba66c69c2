"""The home page of every role: its inbox. Thin over notifications.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    entries = selectors.inbox(request.user)
    return render(
        request,
        "notifications/inbox.html",
        {
            "entries": entries,
            "inbox_total": selectors.remember_total(request.user, entries),
            "inbox_messages": list(selectors.messages_for(request.user)[: selectors.MESSAGES_SHOWN]),
        },
    )


@login_required
def badge(request):
    return JsonResponse({"total": selectors.badge_total(request.user)})
