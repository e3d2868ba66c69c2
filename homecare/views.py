"""Pages of home services: orders and dispatch, the caregiver's day on a phone, statements,
findings, emergency calls; a section of the elder's file with this month's allowance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import add_errors, object_or_404, visible
from core.periods import current_period
from core.scope import restrict
from elders.file_sections import file_section
from elders.models import Elder
from elders.selectors import elders_in_scope
from regions.models import Region
from services.models import Caregiver, CatalogueItem, Provider
from services.selectors import readable_catalogues
from services.services import provider_of

from . import calls as call_services
from . import selectors, services, settlement
from .choices import CallChannel, CallStatus, FlagDecision, OrderStatus
from .forms import CallForm, ConfirmForm, DischargeForm, OrderForm, PriceForm, StayForm
from .models import CaregiverAccount, EmergencyCall, Flag, Statement, StatementLine

PAGE = 100


def _errors(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _own_provider(request):
    provider = provider_of(request.user)
    if provider is None:
        raise PermissionDenied(_("These pages are for a provider's staff."))
    return provider


@login_required
@permission_required("homecare.change_order", raise_exception=True)
def orders(request):
    """The provider's orders to dispatch and in progress, with its caregivers to choose from."""
    provider = _own_provider(request)
    rows = (
        selectors.provider_orders(request.user, provider)
        .exclude(status__in=(OrderStatus.CONFIRMED, OrderStatus.CANCELLED))
        .order_by("wanted_at", "id")[:PAGE]
    )
    caregivers = Caregiver.objects.filter(provider=provider, active=True).order_by("name")
    return render(
        request, "homecare/orders.html", {"rows": rows, "caregivers": caregivers, "provider": provider}
    )


@login_required
@permission_required("homecare.add_order", raise_exception=True)
def new_order(request, elder_pk: int):
    """A worker, or a hotline operator for the family, orders a service for an elder."""
    elder = get_object_or_404(elders_in_scope(request.user), pk=elder_pk)
    items = CatalogueItem.objects.filter(
        catalogue__in=readable_catalogues(request.user).values("pk"),
        contractprice__isnull=False,
        retired_on__isnull=True,
    ).distinct()
    own = provider_of(request.user)
    providers = (
        Provider.objects.filter(pk=own.pk)
        if own
        else Provider.objects.filter(filing_status="filed", contract_prices__isnull=False).distinct()
    )
    form = OrderForm(
        request.POST or None, items=items, providers=providers, initial={"address": elder.address}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_order(acting_user=request.user, elder=elder, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The order for %(name)s was created.") % {"name": elder.name})
            return redirect("elders:elder-detail", elder.pk)
    return render(request, "homecare/order_form.html", {"form": form, "elder": elder})


def _order_step(request, pk: int, fn, **kwargs):
    order = get_object_or_404(selectors.orders_in_scope(request.user), pk=pk)
    try:
        fn(acting_user=request.user, order=order, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return False
    return True


@login_required
@require_POST
@permission_required("homecare.change_order", raise_exception=True)
def dispatch_order(request, pk: int):
    caregiver = Caregiver.objects.filter(pk=request.POST.get("caregiver") or 0).first()
    if caregiver is None:
        messages.error(request, _("Choose a caregiver."))
    elif _order_step(request, pk, services.dispatch, caregiver=caregiver):
        messages.success(request, _("Dispatched to %(c)s.") % {"c": caregiver})
    return redirect("homecare:orders")


def _back_to_day(request):
    caregiver = request.POST.get("caregiver_id")
    return redirect(
        f"{request.path_info.split('/orders/')[0]}/day/" + (f"?caregiver={caregiver}" if caregiver else "")
    )


@login_required
@require_POST
@permission_required("homecare.change_order", raise_exception=True)
def check_in(request, pk: int):
    if _order_step(
        request,
        pk,
        services.check_in,
        latitude=request.POST.get("latitude"),
        longitude=request.POST.get("longitude"),
    ):
        messages.success(request, _("Checked in."))
    return _back_to_day(request)


@login_required
@require_POST
@permission_required("homecare.change_order", raise_exception=True)
def check_out(request, pk: int):
    if _order_step(
        request,
        pk,
        services.check_out,
        work_done=request.POST.get("work_done", ""),
        latitude=request.POST.get("latitude"),
        longitude=request.POST.get("longitude"),
    ):
        messages.success(request, _("Checked out: ask the elder or family to confirm with their PIN."))
    return _back_to_day(request)


@login_required
@require_POST
@permission_required("homecare.change_order", raise_exception=True)
def confirm(request, pk: int):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the 6-digit PIN."))
    elif _order_step(request, pk, services.confirm, pin=form.cleaned_data["pin"], by=form.cleaned_data["by"]):
        messages.success(request, _("Confirmed: the service is recorded."))
    return _back_to_day(request)


@login_required
@permission_required("homecare.change_order", raise_exception=True)
def day(request):
    """The caregiver's orders of the day, on a phone: check in, check out, confirmation."""
    provider = _own_provider(request)
    link = CaregiverAccount.objects.filter(user=request.user).select_related("caregiver").first()
    if link is not None:
        caregiver = link.caregiver
    else:
        caregiver = Caregiver.objects.filter(provider=provider, pk=request.GET.get("caregiver") or 0).first()
    on = timezone.localdate()
    rows = selectors.caregiver_day(request.user, caregiver, on) if caregiver else []
    return render(
        request,
        "homecare/day.html",
        {
            "caregiver": caregiver,
            "rows": rows,
            "day": on,
            "caregivers": []
            if link
            else Caregiver.objects.filter(provider=provider, active=True).order_by("name"),
            "confirm_form": ConfirmForm(),
        },
    )


@login_required
@permission_required("homecare.view_statement", raise_exception=True)
def statements(request):
    rows = restrict(Statement.objects.select_related("provider"), request.user)
    own = provider_of(request.user)
    if own is not None:
        rows = rows.filter(provider=own)
    return render(
        request, "homecare/statements.html", {"rows": rows.order_by("-period", "provider__name")[:PAGE]}
    )


def _statement(request, pk: int) -> Statement:
    rows = restrict(Statement.objects.select_related("provider"), request.user)
    own = provider_of(request.user)
    if own is not None:
        rows = rows.filter(provider=own)
    return get_object_or_404(rows, pk=pk)


@login_required
@permission_required("homecare.view_statement", raise_exception=True)
def statement(request, pk: int):
    found = _statement(request, pk)
    lines = (
        found.lines.select_related("order__item", "elder")
        .prefetch_related("order__flags")
        .order_by("order__checked_in_at", "id")[:1000]
    )
    return render(
        request,
        "homecare/statement.html",
        {
            "statement": found,
            "lines": lines,
            "is_provider": provider_of(request.user) is not None,
            "pending": FlagDecision.PENDING,
        },
    )


@login_required
@require_POST
@permission_required("homecare.change_statement", raise_exception=True)
def approve(request, pk: int):
    found = _statement(request, pk)
    try:
        settlement.approve_statement(acting_user=request.user, statement=found)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The statement was approved."))
    return redirect("homecare:statement", found.pk)


@login_required
@permission_required("homecare.view_statement", raise_exception=True)
def export(request, pk: int):
    found = _statement(request, pk)
    data = settlement.statement_workbook(acting_user=request.user, statement=found)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{found.provider_id}-{found.period}.xlsx"'
    )
    return response


@login_required
@require_POST
@permission_required("homecare.view_statement", raise_exception=True)
def dispute(request, pk: int):
    line = get_object_or_404(restrict(StatementLine.objects.all(), request.user), pk=pk)
    try:
        settlement.dispute_line(acting_user=request.user, line=line, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The line is marked disputed."))
    return redirect("homecare:statement", line.statement_id)


@login_required
@require_POST
@permission_required("homecare.change_flag", raise_exception=True)
def decide(request, pk: int):
    flag = get_object_or_404(restrict(Flag.objects.select_related("order"), request.user), pk=pk)
    try:
        services.decide_flag(
            acting_user=request.user,
            flag=flag,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The finding was decided."))
    line = StatementLine.objects.filter(order_id=flag.order_id).values_list("statement_id", flat=True).first()
    return redirect("homecare:statement", line) if line else redirect("homecare:statements")


@login_required
@permission_required("homecare.view_emergencycall", raise_exception=True)
def calls(request):
    rows = restrict(EmergencyCall.objects.select_related("elder", "assigned_provider"), request.user)
    own = provider_of(request.user)
    if own is not None:
        rows = rows.filter(assigned_provider=own)
    rows = rows.exclude(status=CallStatus.ANSWERED).order_by("deadline")[:PAGE]
    return render(request, "homecare/calls.html", {"rows": rows, "now": timezone.now()})


@login_required
@permission_required("homecare.add_emergencycall", raise_exception=True)
def new_call(request):
    """The hotline operator's form: who called, when, what happened."""
    form = CallForm(
        request.POST or None, initial={"time": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if request.method == "POST" and form.is_valid():
        elder = elders_in_scope(request.user).filter(pk=form.cleaned_data["elder"]).first()
        if elder is None:
            form.add_error("elder", _("No such elder in your region."))
        else:
            try:
                call_services.take_call(
                    acting_user=request.user,
                    elder=elder,
                    time=form.cleaned_data["time"],
                    kind=form.cleaned_data["kind"],
                    channel=CallChannel.HOTLINE,
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The call was recorded and assigned."))
                return redirect("homecare:calls")
    return render(request, "homecare/call_form.html", {"form": form})


@login_required
@require_POST
@permission_required("homecare.change_emergencycall", raise_exception=True)
def answer(request, pk: int):
    rows = restrict(EmergencyCall.objects.all(), request.user)
    call = get_object_or_404(rows, pk=pk)
    try:
        call_services.answer_call(
            acting_user=request.user, call=call, outcome=request.POST.get("outcome", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The response was recorded."))
    return redirect("homecare:calls")


@file_section(
    "homecare",
    title=gettext_lazy("Home services: allowance this month"),
    template="homecare/file_section.html",
    order=28,
)
def homecare_section(request, elder) -> dict:
    if not request.user.has_perm("homecare.view_order"):
        return {"allowed": False}
    period = current_period()
    return {
        "allowed": True,
        "period": period,
        "allowances": selectors.allowances_of(elder, period),
        "orders": selectors.orders_in_scope(request.user)
        .filter(elder=elder)
        .select_related("item", "provider")[:10],
    }


# --- the elder's side: PIN, home location, hospital stays (worker or the serving provider) -------


def _elder_page(request, elder, *, new_pin: str = "", status: int = 200):
    from .models import ConfirmationPin, HomeLocation, HospitalStay

    pin = ConfirmationPin.objects.filter(elder=elder).select_related("set_by").first()
    history = (
        ConfirmationPin.history.filter(elder_id=elder.pk)
        .select_related("history_user")
        .order_by("-history_date")[:10]
        if pin
        else []
    )
    response = render(
        request,
        "homecare/elder.html",
        {
            "elder": elder,
            "pin": pin,
            "pin_history": history,
            "new_pin": new_pin,
            "home": HomeLocation.objects.filter(elder=elder).select_related("recorded_by").first(),
            "stays": visible(request, HospitalStay.objects.filter(elder=elder)).select_related("recorded_by")[
                :20
            ]
            if request.user.has_perm("homecare.view_hospitalstay")
            else None,
            "stay_form": StayForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )
    # A new PIN is on this page once: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


def _elder(request, pk: int):
    return object_or_404(request, Elder.objects.all(), pk=pk)


@login_required
def elder_home(request, pk: int):
    """The elder's PIN (set or not, never shown), the home's location, the hospital stays."""
    if not any(
        request.user.has_perm(p)
        for p in ("homecare.add_confirmationpin", "homecare.add_homelocation", "homecare.view_hospitalstay")
    ):
        raise PermissionDenied(_("You may not manage home-service settings of elders."))
    return _elder_page(request, _elder(request, pk))


@login_required
@require_POST
@permission_required("homecare.add_confirmationpin", raise_exception=True)
def set_pin(request, pk: int):
    """Set or reset the PIN: typed (the elder's choice) or drawn at random; shown once, here."""
    elder = _elder(request, pk)
    pin = (request.POST.get("pin") or "").strip() or services.new_pin()
    try:
        services.set_confirmation_pin(acting_user=request.user, elder=elder, pin=pin)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("homecare:elder", elder.pk)
    return _elder_page(request, elder, new_pin=pin)


@login_required
@require_POST
@permission_required("homecare.add_homelocation", raise_exception=True)
def set_location(request, pk: int):
    elder = _elder(request, pk)
    try:
        services.set_home_location(
            acting_user=request.user,
            elder=elder,
            latitude=request.POST.get("latitude"),
            longitude=request.POST.get("longitude"),
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The home's location was recorded."))
    return redirect("homecare:elder", elder.pk)


@login_required
@require_POST
@permission_required("homecare.add_hospitalstay", raise_exception=True)
def add_stay(request, pk: int):
    elder = _elder(request, pk)
    form = StayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("homecare:elder", elder.pk)
    try:
        services.record_hospital_stay(acting_user=request.user, elder=elder, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The hospital stay was recorded."))
    return redirect("homecare:elder", elder.pk)


@login_required
@require_POST
@permission_required("homecare.change_hospitalstay", raise_exception=True)
def discharge(request, pk: int):
    from .models import HospitalStay

    stay = object_or_404(request, HospitalStay.objects.all(), "change", pk=pk)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the discharge date."))
    else:
        try:
            services.end_hospital_stay(
                acting_user=request.user, stay=stay, discharged_on=form.cleaned_data["discharged_on"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The discharge was recorded."))
    return redirect("homecare:elder", stay.elder_id)


# --- prices per item -----------------------------------------------------------------------------


@login_required
@permission_required("homecare.view_contractprice", raise_exception=True)
def prices(request):
    """What each item costs an allowance: the pack's prices and the providers' contract prices in
    the account's region (a provider's staff: the pack's and their own); the district adds one."""
    from django.db.models import Q

    from .models import ContractPrice

    rows = visible(request, ContractPrice.objects.select_related("item", "provider", "region"))
    own = provider_of(request.user)
    if own is not None:
        rows = rows.filter(Q(provider=own) | Q(provider__isnull=True))
    can_add = request.user.has_perm("homecare.add_contractprice")
    form = None
    if can_add:
        form = PriceForm(
            request.POST or None,
            items=CatalogueItem.objects.filter(catalogue__in=readable_catalogues(request.user).values("pk")),
            providers=visible(request, Provider.objects.filter(filing_status="filed")),
            regions=visible(request, Region.objects.filter(level__in=("city", "county"))),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.set_contract_price(acting_user=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The price was recorded."))
                return redirect("homecare:prices")
    elif request.method == "POST":
        raise PermissionDenied(_("You may not set prices."))
    return render(
        request,
        "homecare/prices.html",
        {"rows": rows.order_by("item__code", "provider__name", "-effective_from")[:500], "form": form},
    )
