"""Write operations of home services: each one transaction, checking permission and scope."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, Max, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import in_scope
from elders.models import Elder
from services.models import Caregiver
from services.selectors import is_blacklisted
from services.services import provider_of, record_service

from . import rules
from .choices import Channel, ConfirmedBy, FlagDecision, FlagKind, OrderStatus, StaySource
from .models import CaregiverAccount, ConfirmationPin, ContractPrice, Flag, HomeLocation, HospitalStay, Order
from .policy import homecare_settings
from .selectors import allowance_entitlement, price_for

PIN_LENGTH = 6


def _require(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


def _require_elder(user, elder: Elder) -> None:
    if not in_scope(user, elder.residence_id):
        raise PermissionDenied(_("This elder is outside your region of responsibility."))


def _require_provider_side(user, order: Order) -> None:
    """Provider staff act only on their own provider's orders; a caregiver's account only on its own."""
    own = provider_of(user)
    if own is None or own.pk != order.provider_id:
        raise PermissionDenied(_("Only the staff of %(p)s may do this.") % {"p": order.provider})
    link = CaregiverAccount.objects.filter(user_id=user.pk).values_list("caregiver_id", flat=True).first()
    if link is not None and order.caregiver_id not in (None, link):
        raise PermissionDenied(_("This order is another caregiver's."))


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("elder", "item", "provider", "price", "caregiver")
        .get(pk=order.pk)
    )


def _coordinate(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        found = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise ValidationError({field: _("Not a coordinate.")}) from None
    limit = 90 if "latitude" in field else 180
    if abs(found) > limit:
        raise ValidationError({field: _("Not a coordinate.")})
    return found


# --- the elder's side: the home's location and the confirmation PIN ---------------------------


def _require_served(user, elder: Elder) -> None:
    """A provider's staff act on the elders their provider serves (has an order of), no others."""
    own = provider_of(user)
    if own is not None and not Order.objects.filter(elder=elder, provider=own).exists():
        raise PermissionDenied(_("%(p)s has no order for this elder.") % {"p": own})


@transaction.atomic
def set_home_location(*, acting_user, elder: Elder, latitude, longitude) -> HomeLocation:
    """Where the home is (check-ins are measured from it); each change is kept in its history."""
    _require(acting_user, "homecare.add_homelocation", _("You may not record home locations."))
    _require_elder(acting_user, elder)
    _require_served(acting_user, elder)
    lat, lon = _coordinate(latitude, "latitude"), _coordinate(longitude, "longitude")
    if lat is None or lon is None:
        raise ValidationError(_("Give both the latitude and the longitude."))
    found = HomeLocation.objects.select_for_update().filter(elder=elder).first() or HomeLocation(elder=elder)
    found.latitude, found.longitude, found.recorded_by = lat, lon, acting_user
    found._history_user = acting_user
    found.save()
    return found


def new_pin() -> str:
    """A random PIN for the elder (the worker may type one the elder chose instead)."""
    import secrets

    return "".join(secrets.choice("0123456789") for _i in range(PIN_LENGTH))


@transaction.atomic
def set_confirmation_pin(*, acting_user, elder: Elder, pin: str) -> ConfirmationPin:
    """The community (or the provider serving the elder) gives the elder or family a PIN; it is
    stored hashed and never shown again. Each setting and reset is kept in the PIN's history
    (who, when) without the hash."""
    _require(acting_user, "homecare.add_confirmationpin", _("You may not set confirmation PINs."))
    _require_elder(acting_user, elder)
    _require_served(acting_user, elder)
    pin = (pin or "").strip()
    if len(pin) != PIN_LENGTH or not pin.isdigit():
        raise ValidationError({"pin": _("The PIN is %(n)d digits.") % {"n": PIN_LENGTH}})
    found = ConfirmationPin.objects.select_for_update().filter(elder=elder).first() or ConfirmationPin(
        elder=elder
    )
    found.pin_hash, found.set_by = make_password(pin), acting_user
    found._history_user = acting_user
    found.save()
    return found


# --- hospital stays ----------------------------------------------------------------------------


def _stay_dates(admitted_on, discharged_on) -> None:
    if discharged_on is not None and discharged_on < admitted_on:
        raise ValidationError({"discharged_on": _("The discharge cannot be before the admission.")})
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("The admission cannot be in the future.")})


@transaction.atomic
def record_hospital_stay(
    *,
    acting_user,
    elder: Elder,
    hospital: str,
    admitted_on,
    discharged_on=None,
    source: str = StaySource.WORKER,
    notes: str = "",
) -> HospitalStay:
    """A hospital stay of the elder, from a worker's page or another system through the API; the
    elder's delivered services in it are cross-checked at once (a flag holds their payment)."""
    _require(acting_user, "homecare.add_hospitalstay", _("You may not record hospital stays."))
    _require_elder(acting_user, elder)
    if not (hospital or "").strip():
        raise ValidationError({"hospital": _("Name the hospital.")})
    if source not in StaySource.values:
        raise ValidationError({"source": _("Say how the stay became known.")})
    _stay_dates(admitted_on, discharged_on)
    overlapping = HospitalStay.objects.filter(elder=elder, admitted_on__lte=discharged_on or date.max).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=admitted_on)
    )
    if overlapping.exists():
        raise ValidationError(_("This stay overlaps a hospital stay already recorded for the elder."))
    stay = HospitalStay.objects.create(
        elder=elder,
        hospital=hospital.strip()[:100],
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        source=source,
        notes=(notes or "").strip()[:200],
        recorded_by=acting_user,
    )
    cross_check(Order.objects.filter(elder=elder, checked_in_at__isnull=False))
    return stay


@transaction.atomic
def end_hospital_stay(*, acting_user, stay: HospitalStay, discharged_on) -> HospitalStay:
    """The elder came home: the stay ends on the discharge day."""
    _require(acting_user, "homecare.change_hospitalstay", _("You may not record hospital stays."))
    stay = HospitalStay.objects.select_for_update().select_related("elder").get(pk=stay.pk)
    _require_elder(acting_user, stay.elder)
    _stay_dates(stay.admitted_on, discharged_on)
    stay.discharged_on = discharged_on
    stay.recorded_by = acting_user
    stay.save(update_fields=["discharged_on", "recorded_by", "recorded_at"])
    return stay


# --- prices -------------------------------------------------------------------------------------


@transaction.atomic
def set_contract_price(
    *,
    acting_user,
    region,
    item,
    kind: str,
    unit: str,
    price: Decimal,
    min_minutes: int,
    max_minutes: int,
    effective_from,
    provider=None,
    requires_certificate: bool = False,
    effective_to=None,
    source: str = "",
) -> ContractPrice:
    """A price of an item in a region, for one provider (its contract) or every provider (the
    district's own price). A change is a new price from a later day: orders keep the price they
    were made with, and a price in force is never rewritten."""
    _require(acting_user, "homecare.add_contractprice", _("You may not set prices."))
    region_code = getattr(region, "code", region)
    if not in_scope(acting_user, region_code):
        raise PermissionDenied(_("This is outside your region of responsibility."))
    found = ContractPrice(
        region_id=region_code,
        provider=provider,
        item=item,
        kind=kind,
        unit=unit,
        price=Decimal(price),
        min_minutes=min_minutes,
        max_minutes=max_minutes,
        requires_certificate=requires_certificate,
        effective_from=effective_from,
        effective_to=effective_to,
        source=(source or "").strip(),
    )
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": _("The end cannot be before the start.")})
    found.full_clean()
    found.save()
    return found


# --- orders -----------------------------------------------------------------------------------


@transaction.atomic
def create_order(
    *,
    acting_user,
    elder: Elder,
    item,
    provider,
    wanted_at: datetime,
    address: str = "",
    channel: str = Channel.WORKER,
    notes: str = "",
) -> Order:
    """An order by a worker, a hotline operator for the family, or the provider itself. The price
    is the provider's contract price (else the pack's) in force on the wanted day; the allowance it
    draws on is the elder's live service-credit entitlement covering the item, if any."""
    _require(acting_user, "homecare.add_order", _("You may not create service orders."))
    _require_elder(acting_user, elder)
    own = provider_of(acting_user)
    if own is not None and own.pk != provider.pk:
        raise ValidationError({"provider": _("You order services of your own provider only.")})
    if timezone.is_naive(wanted_at):
        wanted_at = timezone.make_aware(wanted_at)
    day = timezone.localtime(wanted_at).date()
    errors = {}
    if elder.status != "registered" or elder.death_date:
        errors["elder"] = _("This elder is no longer on the register.")
    if provider.filing_status != "filed":
        errors["provider"] = _("%(p)s is not filed.") % {"p": provider}
    elif is_blacklisted(provider, day):
        errors["provider"] = _("%(p)s is blacklisted.") % {"p": provider}
    price = price_for(item=item, provider=provider, region_code=elder.residence_id, on=day)
    if price is None:
        errors["item"] = _("%(item)s has no price for %(p)s on %(d)s.") % {
            "item": item.name,
            "p": provider,
            "d": day,
        }
    if errors:
        raise ValidationError(errors)
    order = Order(
        elder=elder,
        item=item,
        provider=provider,
        entitlement=allowance_entitlement(elder=elder, item=item, on=day),
        price=price,
        wanted_at=wanted_at,
        address=(address or elder.address or "").strip(),
        channel=channel,
        notes=notes,
        created_by=acting_user,
    )
    if not order.address:
        raise ValidationError({"address": _("Give the address of the service.")})
    order.full_clean()
    order.save()
    return order


def caregiver_errors(caregiver: Caregiver, order: Order, day) -> list[str]:
    """Why this caregiver may not take this order: employed by the order's provider, the provider
    filed and not blacklisted, and a valid certificate where the item's price requires one."""
    problems = []
    if caregiver.provider_id != order.provider_id:
        problems.append(_("%(c)s does not work for %(p)s.") % {"c": caregiver, "p": order.provider})
    if not caregiver.active:
        problems.append(_("%(c)s is no longer employed.") % {"c": caregiver})
    if order.provider.filing_status != "filed":
        problems.append(_("%(p)s is not filed.") % {"p": order.provider})
    if is_blacklisted(order.provider, day):
        problems.append(_("%(p)s is blacklisted.") % {"p": order.provider})
    if order.price.requires_certificate and (
        not caregiver.certificate_number
        or (caregiver.certificate_expires is not None and caregiver.certificate_expires < day)
    ):
        problems.append(
            _("%(item)s needs a certified caregiver; %(c)s has no valid certificate.")
            % {"item": order.item.name, "c": caregiver}
        )
    return problems


@transaction.atomic
def dispatch(*, acting_user, order: Order, caregiver: Caregiver) -> Order:
    _require(acting_user, "homecare.change_order", _("You may not dispatch orders."))
    order = _locked(order)
    _require_provider_side(acting_user, order)
    if order.status not in (OrderStatus.ORDERED, OrderStatus.DISPATCHED):
        raise ValidationError(
            _("This order is %(s)s and cannot be dispatched.") % {"s": order.get_status_display()}
        )
    problems = caregiver_errors(caregiver, order, timezone.localtime(order.wanted_at).date())
    if problems:
        raise ValidationError({"caregiver": problems})
    order.caregiver = caregiver
    order.status = OrderStatus.DISPATCHED
    order.dispatched_at = timezone.now()
    order.save(update_fields=["caregiver", "status", "dispatched_at"])
    return order


@transaction.atomic
def check_in(
    *, acting_user, order: Order, latitude=None, longitude=None, at: datetime | None = None
) -> Order:
    """The caregiver arrives: the time, and the phone's location when the browser gives it,
    compared with the home's recorded location."""
    _require(acting_user, "homecare.change_order", _("You may not check in."))
    order = _locked(order)
    _require_provider_side(acting_user, order)
    if order.status != OrderStatus.DISPATCHED:
        raise ValidationError(
            _("Only a dispatched order is checked in (this one is %(s)s).")
            % {"s": order.get_status_display()}
        )
    order.checked_in_at = at or timezone.now()
    order.checkin_latitude = _coordinate(latitude, "latitude")
    order.checkin_longitude = _coordinate(longitude, "longitude")
    home = HomeLocation.objects.filter(elder_id=order.elder_id).first()
    if home and order.checkin_latitude is not None and order.checkin_longitude is not None:
        order.checkin_distance_m = rules.distance_m(
            float(home.latitude),
            float(home.longitude),
            float(order.checkin_latitude),
            float(order.checkin_longitude),
        )
    order.distance_limit_m = homecare_settings(order.elder.residence_id).checkin_distance_m
    order.status = OrderStatus.IN_PROGRESS
    order.save()
    return order


@transaction.atomic
def check_out(
    *, acting_user, order: Order, work_done: str, latitude=None, longitude=None, at: datetime | None = None
) -> Order:
    """The caregiver leaves: what was done; the service is priced and cross-checked."""
    _require(acting_user, "homecare.change_order", _("You may not check out."))
    order = _locked(order)
    _require_provider_side(acting_user, order)
    if order.status != OrderStatus.IN_PROGRESS:
        raise ValidationError(
            _("Only a checked-in order is checked out (this one is %(s)s).")
            % {"s": order.get_status_display()}
        )
    if not (work_done or "").strip():
        raise ValidationError({"work_done": _("Say what was done.")})
    at = at or timezone.now()
    if at < order.checked_in_at:
        raise ValidationError(_("Check-out cannot be before check-in."))
    order.checked_out_at = at
    order.checkout_latitude = _coordinate(latitude, "latitude")
    order.checkout_longitude = _coordinate(longitude, "longitude")
    order.work_done = work_done.strip()
    order.minutes = order.duration_minutes
    order.amount = rules.service_amount(unit=order.price.unit, price=order.price.price, minutes=order.minutes)
    order.status = OrderStatus.DONE
    order.save()
    cross_check(Order.objects.filter(pk=order.pk))
    return order


@transaction.atomic
def confirm(*, acting_user, order: Order, pin: str, by: str = ConfirmedBy.ELDER) -> Order:
    """The elder or family types their PIN on the caregiver's phone; the service record is made
    from the order through the services app's one write path."""
    _require(acting_user, "homecare.change_order", _("You may not confirm services."))
    order = _locked(order)
    _require_provider_side(acting_user, order)
    if order.status != OrderStatus.DONE:
        raise ValidationError(
            _("Only a checked-out order is confirmed (this one is %(s)s).")
            % {"s": order.get_status_display()}
        )
    if by not in ConfirmedBy.values:
        raise ValidationError({"by": _("Say who confirms.")})
    stored = (
        ConfirmationPin.objects.filter(elder_id=order.elder_id).values_list("pin_hash", flat=True).first()
    )
    if stored is None:
        raise ValidationError({"pin": _("This elder has no confirmation PIN yet: the community sets one.")})
    if not check_password((pin or "").strip(), stored):
        raise ValidationError({"pin": _("The PIN is wrong.")})
    record = record_service(
        acting_user=acting_user,
        elder=order.elder,
        kind=order.price.kind,
        provider=order.provider,
        started_at=order.checked_in_at,
        duration_minutes=order.minutes,
        funding="government" if order.entitlement_id else "self_paid",
        amount=order.amount,
        item=order.item,
        caregiver=order.caregiver,
        notes=order.work_done,
    )
    order.service_record = record
    order.confirmed_at = timezone.now()
    order.confirmed_by = by
    order.status = OrderStatus.CONFIRMED
    order.save(update_fields=["service_record", "confirmed_at", "confirmed_by", "status"])
    return order


@transaction.atomic
def cancel(*, acting_user, order: Order, reason: str) -> Order:
    _require(acting_user, "homecare.add_order", _("You may not cancel orders."))
    order = _locked(order)
    _require_elder(acting_user, order.elder)
    own = provider_of(acting_user)
    if own is not None and own.pk != order.provider_id:
        raise PermissionDenied(_("Only the staff of %(p)s may do this.") % {"p": order.provider})
    if order.status not in (OrderStatus.ORDERED, OrderStatus.DISPATCHED):
        raise ValidationError(_("A service already begun cannot be cancelled."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why it is cancelled.")})
    order.status = OrderStatus.CANCELLED
    order.cancel_reason = reason.strip()[:200]
    order.save(update_fields=["status", "cancel_reason"])
    return order


# --- cross-checks -----------------------------------------------------------------------------


def cross_check(orders) -> int:
    """Flag delivered orders (checked in and out) of this queryset, one set-based query per kind:
    the caregiver in another home at an overlapping time, a service after the elder's death or
    while the elder lives in a facility (an institution or a hospital-like medical-care one) or
    is in hospital (a recorded hospital stay), a
    check-in farther from the home than the pack allows, a duration outside the item's range.
    A flag already found is not found twice (the unique constraint); returns how many are new."""
    from facilities.models import Residency

    delivered = orders.filter(checked_in_at__isnull=False, checked_out_at__isnull=False)
    # A service x that began first overlaps o only if x began less than the longest service of
    # these caregivers before o: that bound turns each probe into a short range of the
    # (caregiver, check-in) index instead of every earlier service of the caregiver (quadratic).
    longest = Order.objects.filter(
        caregiver_id__in=delivered.values("caregiver_id"), checked_out_at__isnull=False
    ).aggregate(
        d=Max(ExpressionWrapper(F("checked_out_at") - F("checked_in_at"), output_field=DurationField()))
    )["d"] or timedelta(0)
    overlapping = (
        Order.objects.filter(
            caregiver_id=OuterRef("caregiver_id"),
            checked_in_at__gte=OuterRef("checked_in_at") - longest,
            checked_in_at__lt=OuterRef("checked_out_at"),
            checked_out_at__gt=OuterRef("checked_in_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(elder_id=OuterRef("elder_id"))
    )
    resident = Residency.objects.filter(
        elder_id=OuterRef("elder_id"), admitted_on__lte=OuterRef("day")
    ).filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=OuterRef("day")))
    in_hospital = HospitalStay.objects.filter(
        elder_id=OuterRef("elder_id"), admitted_on__lte=OuterRef("day")
    ).filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=OuterRef("day")))
    base = delivered.annotate(day=TruncDate("checked_in_at"))
    found = {
        FlagKind.OVERLAP: base.filter(caregiver__isnull=False).filter(Exists(overlapping)),
        FlagKind.AFTER_DEATH: base.filter(elder__death_date__isnull=False, elder__death_date__lt=F("day")),
        FlagKind.IN_INSTITUTION: base.filter(Exists(resident)),
        FlagKind.IN_HOSPITAL: base.filter(Exists(in_hospital)),
        FlagKind.FAR: base.filter(
            checkin_distance_m__isnull=False, checkin_distance_m__gt=F("distance_limit_m")
        ),
        FlagKind.DURATION: base.filter(minutes__isnull=False).filter(
            Q(minutes__lt=F("price__min_minutes")) | Q(minutes__gt=F("price__max_minutes"))
        ),
    }
    flags = Flag.objects.filter(order__in=delivered.values("pk"))
    before = flags.count()
    new = []
    for kind, qs in found.items():
        new += [Flag(order_id=pk, kind=kind) for pk in qs.values_list("pk", flat=True)]
    Flag.objects.bulk_create(new, ignore_conflicts=True, batch_size=5_000)
    return flags.count() - before


@transaction.atomic
def decide_flag(*, acting_user, flag: Flag, accept: bool, note: str) -> Flag:
    """The district decides on a finding: accepted, the service is paid (within the allowance);
    rejected, it is not. The held line of a draft statement follows at once."""
    from .settlement import reprice_line

    _require(acting_user, "homecare.change_flag", _("You may not decide on cross-check findings."))
    flag = Flag.objects.select_for_update().select_related("order__elder").get(pk=flag.pk)
    _require_elder(acting_user, flag.order.elder)
    if flag.decision != FlagDecision.PENDING:
        raise ValidationError(_("This finding is already decided."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason for the decision.")})
    flag.decision = FlagDecision.ACCEPTED if accept else FlagDecision.REJECTED
    flag.decision_note = note.strip()
    flag.decided_by = acting_user
    flag.decided_at = timezone.now()
    flag.save()
    reprice_line(order_id=flag.order_id)
    return flag
