from django.contrib import admin

from allyship.sso.models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["domain", "app", "create_people", "password_sign_in"]
    list_select_related = ["app"]
    search_fields = ["domain"]
