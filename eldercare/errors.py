"""Moved to core.api (the API's exception handler does the conversion); kept for apps being built."""

from core.api import as_drf_error

__all__ = ["as_drf_error"]
