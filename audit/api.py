"""The API's share of the audit log: list reads of personal data and unmasked detail reads."""

from __future__ import annotations

from regions.scope import sees_personal_data

from .choices import AccessAction
from .services import record_access


class PersonalDataAuditMixin:
    """For a viewset whose rows are personal data: each list read is logged with its row count,
    and, when `audit_id_numbers` (rows carry ID numbers), each detail read that shows them in full.

    `audit_what` names the data in the log ("elders", "caregivers", ...).
    """

    audit_what: str = ""
    audit_id_numbers: bool = False

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        data = response.data
        rows = len(data["results"]) if isinstance(data, dict) and "results" in data else len(data)
        record_access(
            user=request.user,
            action=AccessAction.LIST_READ,
            what=self.audit_what,
            rows=rows,
            unmasked=self.audit_id_numbers and sees_personal_data(request.user),
            request=request,
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.audit_id_numbers and sees_personal_data(request.user):
            record_access(
                user=request.user,
                action=AccessAction.VIEW_UNMASKED,
                what=self.audit_what,
                object_id=response.data.get("id", kwargs.get("pk", "")),
                unmasked=True,
                request=request,
            )
        return response
