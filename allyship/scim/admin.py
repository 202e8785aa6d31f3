"""HR creates and revokes SCIM tokens in the Django admin; the token is shown once."""

from django import forms
from django.contrib import admin, messages

from allyship.scim.models import ScimToken
from allyship.scim.services import scim_token_create, scim_token_revoke


class ScimTokenForm(forms.ModelForm):
    class Meta:
        model = ScimToken
        fields = ["name"]


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    form = ScimTokenForm
    list_display = ["name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # A token cannot be edited, only revoked; the change page is read-only.
        return request.method == "GET" and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, so the audit log can name them

    def save_model(self, request, obj, form, change):
        # The form has checked the name (required, unique); the service makes the secret.
        token, raw = scim_token_create(name=form.cleaned_data["name"], acting_user=request.user)
        obj.pk, obj.digest, obj.prefix, obj.created_at = (
            token.pk,
            token.digest,
            token.prefix,
            token.created_at,
        )
        self.message_user(
            request,
            f"Token {token.name} created. Copy it now, it is not shown again: {raw}",
            messages.SUCCESS,
        )

    @admin.action(description="Revoke the selected tokens", permissions=["add"])
    def revoke(self, request, queryset):
        revoked = sum(
            scim_token_revoke(token=token, acting_user=request.user) for token in queryset
        )
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
