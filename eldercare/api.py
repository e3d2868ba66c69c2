"""The scoped base viewsets every API endpoint builds on."""

from __future__ import annotations

from rest_framework import viewsets

from regions.scope import restrict


class ScopedViewSetMixin:
    """Every queryset of the API goes through the one region-scoping helper."""

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
