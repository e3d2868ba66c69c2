"""Account pages every role uses: changing one's own password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import object_or_404
from eldercare.middleware import MUST_CHANGE_PASSWORD
from eldercare.models import revoke_tokens

from . import selectors, services
from .choices import Role
from .forms import StaffCreateForm
from .models import Region


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own page (it asks for the old password and keeps this session signed in);
    the API tokens issued under the old password end with it."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password-change")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoke_tokens(user=form.user)
        services.password_changed(user=form.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, _("Your password was changed. API tokens issued before were revoked."))
        return response


# --- staff accounts: city and district staff manage the accounts under their region ---------------


def _field_errors(form, exc: ValidationError, fields: dict[str, str]) -> None:
    """Put the service's messages on the form's fields (its names may differ from the form's)."""
    for name, messages_ in exc.message_dict.items():
        target = fields.get(name, name)
        form.add_error(target if target in form.fields else None, messages_)


@login_required
@permission_required("regions.change_staffprofile", raise_exception=True)
def staff_list(request):
    search = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    paginator = Paginator(selectors.staff_accounts(request.user, search=search, role=role), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "regions/staff_list.html",
        {"page": page, "total": paginator.count, "q": search, "role": role, "roles": Role.choices},
    )


@login_required
@permission_required("regions.add_staffprofile", raise_exception=True)
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = services.temporary_password()
        try:
            if get_user_model().objects.filter(username=data["username"]).exists():
                # This page makes accounts; an existing one is changed on its own page.
                raise ValidationError({"username": _("An account with this username already exists.")})
            profile, _created = services.create_staff(
                username=data["username"],
                role=data["role"],
                region_code=data["region"],
                password=password,
                certificate_number=data["certificate_number"].strip(),
                full_name=data["full_name"].strip(),
                acting_user=request.user,
                temporary_password=True,
            )
        except ValidationError as exc:
            _field_errors(form, exc, {"password": None})
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return _account_page(
                request, profile.user, temporary_password=password, notice=_("The account was created.")
            )
    picked = form["region"].value() or ""
    picked_name = Region.objects.filter(code=picked).values_list("name", flat=True).first() if picked else ""
    return render(
        request,
        "regions/staff_form.html",
        {
            "form": form,
            "picked_name": picked_name,
            "role_levels": StaffCreateForm.role_levels(),
        },
    )


def _account_page(request, account, *, temporary_password: str = "", notice: str = ""):
    account = (
        selectors.staff_accounts(request.user).filter(pk=account.pk).first()
        if not temporary_password
        else get_user_model().objects.select_related("staff_profile__region").get(pk=account.pk)
    )
    if account is None:
        raise Http404
    return render(
        request,
        "regions/staff_detail.html",
        {
            "account": account,
            "profile": account.staff_profile,
            "locked_out": getattr(account, "locked_out", False),
            "events": selectors.account_events(request.user, account),
            "temporary_password": temporary_password,
            "notice": notice,
        },
    )


@login_required
@permission_required("regions.change_staffprofile", raise_exception=True)
def staff_detail(request, pk: int):
    account = object_or_404(request, get_user_model().objects.all(), pk=pk)
    return _account_page(request, account)


@login_required
@require_POST
@permission_required("regions.change_staffprofile", raise_exception=True)
def staff_reset_password(request, pk: int):
    account = object_or_404(request, get_user_model().objects.all(), "change", pk=pk)
    password = services.issue_temporary_password(user=account, acting_user=request.user)
    return _account_page(
        request,
        account,
        temporary_password=password,
        notice=_("A temporary password was issued: the old one and the account's API tokens no longer work."),
    )


@login_required
@require_POST
@permission_required("regions.change_staffprofile", raise_exception=True)
def staff_unlock(request, pk: int):
    account = object_or_404(request, get_user_model().objects.all(), "change", pk=pk)
    services.reset_lockout(user=account, acting_user=request.user)
    messages.success(request, _("The sign-in lock-out of %(name)s was lifted.") % {"name": account.username})
    return redirect("regions:staff-detail", pk=account.pk)


@login_required
def region_children(request):
    """The region picker's next list: the divisions under a code the account may see (JSON)."""
    parent = request.GET.get("parent", "")
    if parent and not (parent.isdigit() and len(parent) == 12):
        return JsonResponse({"regions": []})
    return JsonResponse({"regions": selectors.region_children(request.user, parent or None)})
