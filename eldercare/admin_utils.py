"""Moved to core.admin; this name stays until the apps being built on it have moved."""

from core.admin import ScopedAdmin as ScopedAdminMixin

__all__ = ["ScopedAdminMixin"]
