from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def my_elders(request):
    elders = selectors.search(selectors.elders_in_scope(request.user), request.GET.get("q", ""))[:50]
    return render(request, "elders/my_elders.html", {"elders": elders})
