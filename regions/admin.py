from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedAdmin

from .choices import Role
from .models import Department, Region, StaffProfile
from .services import check_may_manage, check_staff_account, create_staff, set_staff_password


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "households")
    list_filter = ("level", "kind")
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    ordering = ("code",)

    def get_readonly_fields(self, request, obj=None):
        # Division codes and names come from the statistics office; only local facts are edited.
        if request.user.is_superuser:
            return ()
        return ("code", "name", "level", "parent", "kind")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Responsible units: made by loading a policy pack; a bureau may add or rename its own."""

    list_display = ("name", "region", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "^region__code", "region__name")
    list_select_related = ("region",)
    raw_id_fields = ("region",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ("user", "full_name", "role", "region", "department", "certificate_number", "is_active")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "certificate_number")
    list_select_related = ("user", "region", "department")
    raw_id_fields = ("region",)
    readonly_fields = ("user",)

    @admin.display(description=_("name"))
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj):
        return obj.user.is_active

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Role, region and certificate are changed on the account screen (StaffUserAdmin),
        # which writes them through the create_staff service.
        return False


User = get_user_model()


class StaffAccountForm(forms.ModelForm):
    """An account as a role account manages it: name, active, role, region, certificate.

    Staff status, superuser status, groups and permissions are not on this form: they follow
    the role (regions/roles.py) and are set only by the create_staff service.
    """

    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    region_code = forms.CharField(
        label=_("region of responsibility"),
        max_length=12,
        help_text=_("The 12-digit division code at the role's level."),
    )
    certificate_number = forms.CharField(label=_("certificate number"), max_length=50, required=False)
    password1 = forms.CharField(
        label=_("password"), widget=forms.PasswordInput(render_value=False), required=False, strip=False
    )
    password2 = forms.CharField(
        label=_("password (again)"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        strip=False,
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "is_active")

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        profile = StaffProfile.objects.filter(user_id=self.instance.pk).first() if self.instance.pk else None
        if profile is not None:
            self.initial.update(
                role=profile.role,
                region_code=profile.region_id,
                certificate_number=profile.certificate_number,
            )
            # Passwords are reset on their own page (the link above), never retyped on the change form.
            del self.fields["password1"], self.fields["password2"]
            self.fields["username"].disabled = True

    def clean(self):
        data = super().clean()
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        if self.errors:
            return data
        try:
            check_staff_account(
                username=data["username"],
                role=data["role"],
                region_code=data["region_code"],
                password=data.get("password1") or None,
                certificate_number=data.get("certificate_number", ""),
                acting_user=self.acting_user,
            )
        except ValidationError as exc:
            fields = {"region": "region_code", "password": "password1"}
            for field, messages in exc.message_dict.items():
                target = fields.get(field, field)
                self.add_error(target if target in self.fields else None, messages)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return data


class StaffPasswordForm(AdminPasswordChangeForm):
    """The admin's password reset, written by the accounts service."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password") else None
        set_staff_password(user=self.user, password=password)
        return self.user


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(ScopedAdmin, UserAdmin):
    """Accounts: a superuser gets Django's full screen; a role account manages, through the
    create_staff service, only the accounts under its own region, never a superuser."""

    change_password_form = StaffPasswordForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Not its own account either: a role account changing its own role is self-escalation
        # (its own password is changed on the password-change page, with the old password).
        return queryset.filter(is_superuser=False).exclude(pk=request.user.pk)

    def _is_role_account(self, request) -> bool:
        return not request.user.is_superuser

    def get_list_display(self, request):
        if self._is_role_account(request):
            return ("username", "first_name", "staff_role", "staff_region", "is_active")
        return super().get_list_display(request)

    def get_list_filter(self, request):
        if self._is_role_account(request):
            return ("is_active", "staff_profile__role")
        return super().get_list_filter(request)

    def get_fieldsets(self, request, obj=None):
        if not self._is_role_account(request):
            return super().get_fieldsets(request, obj)
        fields = ["username", "first_name", "is_active", "role", "region_code", "certificate_number"]
        if obj is None:
            fields += ["password1", "password2"]
        else:
            fields.insert(1, "password_link")
        return ((None, {"fields": fields}),)

    def get_readonly_fields(self, request, obj=None):
        if self._is_role_account(request) and obj is not None:
            return ("password_link",)
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("password"))
    def password_link(self, obj):
        return format_html('<a href="../password/">{}</a>', _("Reset the password"))

    def get_form(self, request, obj=None, **kwargs):
        if not self._is_role_account(request):
            return super().get_form(request, obj, **kwargs)
        form = StaffAccountForm

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, acting_user=request.user, **kw)

        return BoundForm

    def save_model(self, request, obj, form, change):
        if not self._is_role_account(request):
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        profile, _created = create_staff(
            username=data["username"] if not change else obj.username,
            role=data["role"],
            region_code=data["region_code"],
            password=data.get("password1") or None,
            certificate_number=data.get("certificate_number", ""),
            full_name=data.get("first_name", ""),
            is_active=data.get("is_active", True),
            acting_user=request.user,
        )
        obj.pk = profile.user_id
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Groups and permissions follow the role; a role account's form has none to save.
        if not self._is_role_account(request):
            super().save_related(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, unquote(id))
        if target is not None:
            check_may_manage(request.user, user=target)
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: their history and audit entries name them.
        return request.user.is_superuser

    @admin.display(description=_("role"))
    def staff_role(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description=_("region of responsibility"))
    def staff_region(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.region if profile else ""


@admin.register(Group)
class RoleGroupAdmin(ScopedAdmin, GroupAdmin):
    """Role groups are written from regions/roles.py after every migrate; only a superuser looks."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
