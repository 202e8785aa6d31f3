from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP

from allyship.models import AuditEntry, Department, ImportBatch, User
from allyship.services import roles_refresh

# What learners write, choose and score is theirs alone: no admin page may filter by it,
# or `?reflections__isnull=False` would list who has written reflections, and
# `?choices__id__exact=…` tie a chosen response to its chooser.
PRIVATE_MODELS = frozenset(
    {
        "learning.reflection",
        "learning.commitment",
        "quizzes.attempt",
        "quizzes.choice",
        "quizzes.answer",
        "quizzes.scenarioresult",
    }
)


def reaches_private_model(model: type[Model], lookup: str) -> bool:
    """Whether a changelist lookup (`reflections__isnull`, `step__choices__id`) passes
    through a learner's private records on its way."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or comparison (isnull, exact...): the path ends here
        target = field.related_model
        if target is None:
            return False
        if target._meta.label_lower in PRIVATE_MODELS:
            return True
        model = target
    return False


class PrivateLookupsMixin:
    """Refuse any changelist filter through learners' private records: Django answers 400."""

    def lookup_allowed(self, lookup, value, request=None):
        if reaches_private_model(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


class RecordAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """A record that may be read in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Django registers groups itself (its admin module is imported above): `?user__reflections…`
# must be refused there too.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PrivateLookupsMixin, BaseGroupAdmin):
    pass


@admin.register(Department)
class DepartmentAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(PrivateLookupsMixin, BaseUserAdmin):
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
