"""`/healthz/` for the load balancer and monitoring: is this web process able to serve?

It answers without a login and says nothing but "ok" or "unavailable", so it leaks nothing.
It asks the database only (the cache being away is not an outage: pages go on without it).
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
