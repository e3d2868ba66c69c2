"""Account pages every role uses: changing one's own password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from eldercare.models import revoke_tokens


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own page (it asks for the old password and keeps this session signed in);
    the API tokens issued under the old password end with it."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password-change")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoke_tokens(user=form.user)
        messages.success(self.request, _("Your password was changed. API tokens issued before were revoked."))
        return response
