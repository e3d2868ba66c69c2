"""Writes of the workforce records: a training session, an adviser's appointment and leaving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.scope import require, restrict
from facilities.models import Facility
from regions.models import Region
from services.models import Caregiver

from .choices import Audience
from .models import Adviser, TrainingSession

# What a training session is recorded with (the admin and the API pass them through as they are).
TRAINING_FIELDS = (
    "region",
    "title",
    "audience",
    "organiser",
    "starts_on",
    "ends_on",
    "person_times",
    "households",
    "caregivers",
    "facilities",
)


def _in_scope_or_refuse(acting_user, region: Region) -> None:
    require(acting_user, region=region.code)


def check_training(
    *,
    acting_user,
    region: Region,
    audience: str,
    person_times: int,
    caregivers: Iterable[Caregiver] | None = (),
    facilities: Iterable[Facility] | None = (),
    session: TrainingSession | None = None,
    **_other,
) -> None:
    """Refuse a training the user may not record, or whose participants do not fit: the checks of
    `record_training` without writing (the admin form shows them on its fields)."""
    if not acting_user.has_perm(
        "workforce.change_trainingsession" if session else "workforce.add_trainingsession"
    ):
        raise PermissionDenied(_("You may not record training sessions."))
    _in_scope_or_refuse(acting_user, region)
    caregivers, facilities = list(caregivers or ()), list(facilities or ())
    errors: dict[str, list[str]] = {}
    for field, model, people, message in (
        (
            "caregivers",
            Caregiver,
            caregivers,
            _("Some of these caregivers are outside your region of responsibility."),
        ),
        (
            "facilities",
            Facility,
            facilities,
            _("Some of these institutions are outside your region of responsibility."),
        ),
    ):
        wanted = {p.pk for p in people}
        if restrict(model.objects.filter(pk__in=wanted), acting_user).count() != len(wanted):
            errors[field] = [message]
    if caregivers and audience not in (Audience.CAREGIVERS, Audience.MEDICAL_CARERS):
        errors.setdefault("caregivers", []).append(_("Caregivers are named only on a caregivers' training."))
    if facilities and audience != Audience.INSTITUTION_HEADS:
        errors.setdefault("facilities", []).append(
            _("Institutions are named only on a training of their heads.")
        )
    named = max(len(caregivers), len(facilities))
    if person_times is not None and person_times < named:
        errors["person_times"] = [
            _("Person-times (%(n)s) cannot be fewer than the %(named)s participants named.")
            % {"n": person_times, "named": named}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_training(
    *,
    acting_user,
    region: Region,
    title: str,
    audience: str,
    organiser: str,
    starts_on: date,
    ends_on: date,
    person_times: int,
    households: int | None = None,
    caregivers: Iterable[Caregiver] | None = (),
    facilities: Iterable[Facility] | None = (),
    session: TrainingSession | None = None,
) -> TrainingSession:
    """Record (or correct) a training session with the caregivers and institution heads who took
    part. Person-times cannot be fewer than the participants named; every one named must lie in
    the user's region."""
    caregivers, facilities = list(caregivers or ()), list(facilities or ())
    check_training(
        acting_user=acting_user,
        region=region,
        audience=audience,
        person_times=person_times,
        caregivers=caregivers,
        facilities=facilities,
        session=session,
    )
    session = session or TrainingSession(recorded_by=acting_user)
    for name, value in (
        ("region", region),
        ("title", title.strip()),
        ("audience", audience),
        ("organiser", organiser.strip()),
        ("starts_on", starts_on),
        ("ends_on", ends_on),
        ("person_times", person_times),
        ("households", households),
    ):
        setattr(session, name, value)
    session.full_clean()
    session._history_user = acting_user
    session.save()
    session.caregivers.set(caregivers)
    session.facilities.set(facilities)
    return session


@transaction.atomic
def appoint_adviser(*, acting_user, region: Region, name: str, appointed_on: date) -> Adviser:
    if not acting_user.has_perm("workforce.add_adviser"):
        raise PermissionDenied(_("You may not appoint elder-care advisers."))
    _in_scope_or_refuse(acting_user, region)
    adviser = Adviser(region=region, name=name.strip(), appointed_on=appointed_on)
    adviser.full_clean()
    adviser._history_user = acting_user
    adviser.save()
    return adviser


@transaction.atomic
def end_adviser(*, acting_user, adviser: Adviser, ended_on: date) -> Adviser:
    """An adviser leaves the post on a day; the record stays (the figures of past months keep them)."""
    if not acting_user.has_perm("workforce.change_adviser"):
        raise PermissionDenied(_("You may not change elder-care advisers."))
    adviser = Adviser.objects.select_for_update().select_related("region").get(pk=adviser.pk)
    _in_scope_or_refuse(acting_user, adviser.region)
    if adviser.ended_on is not None:
        raise ValidationError({"ended_on": _("This adviser left on %(d)s.") % {"d": adviser.ended_on}})
    adviser.ended_on = ended_on
    adviser.full_clean()
    adviser._history_user = acting_user
    adviser.save(update_fields=["ended_on"])
    return adviser
