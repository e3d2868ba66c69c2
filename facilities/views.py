"""Facility pages: the list, one facility (standards, residents, wait-list), reports, applying."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import add_errors, object_or_404, visible
from elders.file_sections import file_section
from elders.models import Elder
from regions.models import Region
from regions.scope import sees_personal_data, user_region_code

from . import pdf, selectors, services
from .choices import OPEN_WAITLIST_STATUSES, PUBLIC_OWNERSHIPS, BedStatus, WaitlistStatus
from .filters import FacilityFilterSet
from .forms import AddBedsForm, AdmitForm, ApplyForm, DischargeForm, StandardsForm
from .models import Bed, FamilyCareBed, Residency, WaitlistEntry
from .policy import raw_facility_settings


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
@permission_required("facilities.view_facility", raise_exception=True)
def facility_list(request):
    facilities = selectors.with_occupancy(selectors.facilities_in_scope(request.user))
    region = None
    if request.GET.get("region"):
        # The dashboard links here for one street or community of the user's region: its name heads
        # the page; the rows are narrowed by the same filter as the API's `?region=`.
        region = object_or_404(request, Region.objects.all(), code=request.GET["region"])
    filterset = FacilityFilterSet(request.GET or None, queryset=facilities, request=request)
    if filterset.is_valid():
        facilities = filterset.qs
    managed = set(selectors.managed_facilities(request.user).values_list("pk", flat=True)[:50])
    page = Paginator(facilities.order_by("region_id", "name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/list.html",
        {"page": page, "form": filterset.form, "managed": managed, "region": region},
    )


@login_required
@permission_required("facilities.view_facility", raise_exception=True)
def detail(request, pk: int):
    facility = get_object_or_404(selectors.with_occupancy(selectors.facilities_in_scope(request.user)), pk=pk)
    manages = selectors.managed_facilities(request.user).filter(pk=pk).exists()
    residents = list(selectors.current_residencies(request.user, facility))
    queue = list(selectors.queue(facility)) if facility.ownership in PUBLIC_OWNERSHIPS else []
    beds = selectors.bed_inventory(facility)
    free_beds = [b for b in beds if b.occupant is None]
    # "Admit this person" on an offer opens the form for that applicant: nothing is retyped.
    admitting = None
    if request.GET.get("admit", "").isdigit():
        admitting = next((e for e in queue if e.pk == int(request.GET["admit"])), None)
    admit_form = AdmitForm(
        initial={"id_number": request.GET.get("id_number", ""), "entry": admitting.pk if admitting else None},
        free_beds=free_beds,
    )
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "report": selectors.facility_report(facility, timezone.localdate()),
            "residents": residents,
            "vacancy": max(facility.beds - facility.residents, 0),
            "queue": queue,
            "next_waiting": next((e for e in queue if e.status == WaitlistStatus.WAITING), None),
            "offered": [e for e in queue if e.status == WaitlistStatus.OFFERED],
            "manages": manages,
            "takes_residents": services.takes_residents(facility),
            "admit_form": admit_form,
            "admitting": admitting,
            "has_inventory": bool(beds),
            "rooms": selectors.rooms_of(beds),
            "free_beds": len(free_beds),
            "inventory": selectors.inventory_summary(facility, beds) if beds else None,
            "out_of_use": selectors.beds_out_of_use(facility) if manages else [],
            "former": selectors.former_residencies(request.user, facility),
            "add_beds_form": AddBedsForm(),
            "discharge_form": DischargeForm(),
            "ratings": list(facility.star_ratings.all()[:5]),
            "unmasked": sees_personal_data(request.user),
        },
    )


@login_required
@require_POST
@permission_required("facilities.add_residency", raise_exception=True)
def admit(request, pk: int):
    facility = get_object_or_404(selectors.managed_facilities(request.user), pk=pk)
    beds = {b.pk: b for b in selectors.bed_inventory(facility)}
    form = AdmitForm(request.POST, free_beds=beds.values())
    if not form.is_valid():
        messages.error(request, _("Give the elder's ID number and the admission date."))
        return redirect("facilities:detail", pk=pk)
    data = form.cleaned_data
    entry = None
    if data["entry"]:
        # The offer's applicant: the elder comes from the facility's own wait-list entry.
        entry = get_object_or_404(
            WaitlistEntry.objects.select_related("elder"),
            pk=data["entry"],
            facility=facility,
            status__in=OPEN_WAITLIST_STATUSES,
        )
        elder = entry.elder
    else:
        elder = (
            visible(request, Elder.objects.all()).filter(id_number=data["id_number"].strip().upper()).first()
        )
    if elder is None:
        messages.error(request, _("No elder with this ID number in your region."))
        return redirect("facilities:detail", pk=pk)
    try:
        services.admit(
            acting_user=request.user,
            facility=facility,
            elder=elder,
            admitted_on=data["admitted_on"],
            bed=data["bed"],
            assigned_bed=beds.get(data["assigned_bed"]) if data["assigned_bed"] else None,
            out_of_turn_reason=data["out_of_turn_reason"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        if entry is not None:
            return redirect(f"{reverse('facilities:detail', args=[pk])}?admit={entry.pk}#admit-form")
    else:
        messages.success(request, _("%(name)s was admitted.") % {"name": elder.name})
    return redirect("facilities:detail", pk=pk)


@login_required
@require_POST
@permission_required("facilities.add_residency", raise_exception=True)
def add_beds(request, pk: int):
    facility = get_object_or_404(selectors.managed_facilities(request.user), pk=pk)
    form = AddBedsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("facilities:detail", pk=pk)
    try:
        made = services.add_beds(
            acting_user=request.user,
            facility=facility,
            room=form.cleaned_data["room"],
            count=form.cleaned_data["count"],
            nursing=form.cleaned_data["nursing"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(n)d beds were added.") % {"n": len(made)})
    return redirect("facilities:detail", pk=pk)


@login_required
@require_POST
@permission_required("facilities.change_bed", raise_exception=True)
def bed_use(request, pk: int, bed_pk: int):
    """Take a bed of the inventory out of use, or back into use (an occupied one is refused with
    the resident named): the operator's staff do it here, bureau staff also in the admin."""
    facility = get_object_or_404(selectors.managed_facilities(request.user), pk=pk)
    bed = get_object_or_404(Bed.objects.filter(facility=facility), pk=bed_pk)
    bed.active = request.POST.get("active") == "1"
    try:
        services.save_bed(acting_user=request.user, bed=bed)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        done = _("Bed %(bed)s is in use again.") if bed.active else _("Bed %(bed)s is out of use.")
        messages.success(request, done % {"bed": bed})
    return redirect(reverse("facilities:detail", args=[pk]) + "#beds")


@login_required
@require_POST
@permission_required("facilities.change_residency", raise_exception=True)
def discharge(request, pk: int):
    residency = get_object_or_404(selectors.residencies_for(request.user), pk=pk, discharged_on__isnull=True)
    form = DischargeForm(request.POST)
    if form.is_valid():
        try:
            services.discharge(
                acting_user=request.user,
                residency=residency,
                on=form.cleaned_data["discharged_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("%(name)s was discharged.") % {"name": residency.elder.name})
    else:
        messages.error(request, _("Give the date and the reason."))
    return redirect("facilities:detail", pk=residency.facility_id)


@login_required
@require_POST
@permission_required("facilities.change_waitlistentry", raise_exception=True)
def offer(request, pk: int):
    facility = get_object_or_404(selectors.facilities_in_scope(request.user), pk=pk)
    # A reason typed next to an applicant passes them over for this bed.
    skips = {
        int(key.removeprefix("skip_")): value.strip()
        for key, value in request.POST.items()
        if key.startswith("skip_") and key.removeprefix("skip_").isdigit() and value.strip()
    }
    try:
        entry = services.offer_vacancy(acting_user=request.user, facility=facility, skips=skips)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The bed was offered to %(name)s.") % {"name": entry.elder.name})
    return redirect("facilities:detail", pk=pk)


@login_required
@permission_required("facilities.view_facility", raise_exception=True)
def shortfalls(request):
    """Every facility of the user's region that falls short of its city's standards."""
    reports = selectors.standards_report(request.user, timezone.localdate())
    return render(request, "facilities/shortfalls.html", {"reports": reports[:500], "total": len(reports)})


@login_required
@permission_required("facilities.view_facility", raise_exception=True)
def space(request):
    rows = selectors.space_report(request.user)
    short = [r for r in rows if r.shortfall_m2]
    return render(
        request, "facilities/space.html", {"rows": rows[:1000], "total": len(rows), "short": len(short)}
    )


@login_required
@permission_required("facilities.add_waitlistentry", raise_exception=True)
def apply(request, elder_pk: int):
    elder = object_or_404(request, Elder.objects.select_related("residence"), pk=elder_pk)
    facilities = selectors.public_facilities(elder.residence_id)
    form = ApplyForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.apply_for_bed(
                acting_user=request.user,
                facility=form.cleaned_data["facility"],
                elder=elder,
                applied_on=form.cleaned_data["applied_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request,
                _("%(name)s is on the wait-list of %(f)s at position %(pos)s.")
                % {"name": elder.name, "f": entry.facility.name, "pos": selectors.position_of(entry)},
            )
            return redirect("elders:elder-detail", pk=elder.pk)
    return render(request, "facilities/apply.html", {"form": form, "elder": elder})


@file_section(
    "facilities",
    title=gettext_lazy("Residence in a facility and wait-list"),
    template="facilities/file_section.html",
    order=35,
    printed=pdf.residency_part,
)
def facilities_section(request, elder) -> dict:
    stays = visible(request, Residency.objects.filter(elder=elder)).select_related("facility")
    return {
        "residency": stays.filter(discharged_on__isnull=True).first(),
        "past": list(stays.filter(discharged_on__isnull=False)[:5]),
        "waitlist": selectors.positions_for_elder(request.user, elder),
        "family_bed": visible(request, FamilyCareBed.objects.filter(elder=elder))
        .exclude(status=BedStatus.CLOSED)
        .select_related("provider")
        .first(),
    }


# --- the bureau's construction standards ---------------------------------------------------------


@login_required
@permission_required("policies.change_policysection", raise_exception=True)
def standards(request):
    """The construction and staffing standards of the account's own region, in boxes per facility
    kind (never as the pack's JSON); the standards checks and reports read what is saved."""
    region = Region.objects.filter(code=user_region_code(request.user)).first()
    if region is None:
        raise PermissionDenied(_("The standards are set for a region: this account has none."))
    current = raw_facility_settings(region.code)
    form = StandardsForm(request.POST or None, settings=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_standards(
                acting_user=request.user,
                region=region,
                standards=form.standards(),
                residents_per_caregiver=form.ratios(),
                staffing_applies_to=form.cleaned_data["staffing_applies_to"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The standards of %(region)s were saved.") % {"region": region.name})
            return redirect("facilities:standards")
    return render(request, "facilities/standards.html", {"form": form, "region": region})
