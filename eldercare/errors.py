from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A model/service ValidationError as DRF's, keeping the field names as keys."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(m) for m in errs]
            for field, errs in exc.message_dict.items()
        }
        return serializers.ValidationError(detail)
    return serializers.ValidationError({"non_field_errors": exc.messages})
