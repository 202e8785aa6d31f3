from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from allyship.models import AuditEntry, Department, ImportBatch, User
from allyship.services import roles_refresh


class RecordAdmin(admin.ModelAdmin):
    """A record that may be read in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "department", "manager", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "department", "groups"]
    search_fields = ["full_name", "email"]
    list_select_related = ["department", "manager"]
    autocomplete_fields = ["manager", "department"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "department", "manager")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def save_related(self, request, form, formsets, change):
        """Groups are saved here, after the person: then the stored roles of the person, their
        old manager and their new one follow the edit, in the same transaction."""
        super().save_related(request, form, formsets, change)
        person = form.instance
        roles_refresh(user_ids=[person.pk, person.manager_id, form.initial.get("manager")])


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ["created_at", "actor", "action", "target"]
    list_filter = ["action"]
    search_fields = ["target", "actor__email"]


@admin.register(ImportBatch)
class ImportBatchAdmin(RecordAdmin):
    """Which people files were uploaded and applied, by whom and when: a record, read-only.
    The rows themselves (people's names and emails) stay on the HR import pages."""

    list_display = ["created_at", "file_name", "status", "row_count", "created_by", "applied_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "sha256"]
    fields = ["file_name", "sha256", "status", "row_count", "created_by", "created_at"]
    fields += ["applied_by", "applied_at"]
    readonly_fields = fields

    @admin.display(description="rows")
    def row_count(self, batch: ImportBatch) -> int:
        return len(batch.rows)
