"""Moved to core.api; these names stay until the apps being built on them have moved."""

from core.api import ScopedAPIMixin as ScopedViewSetMixin
from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

__all__ = ["ScopedModelViewSet", "ScopedReadOnlyViewSet", "ScopedViewSetMixin"]
