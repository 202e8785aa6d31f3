"""Authoring screens for scenarios and questions.

Wording can be corrected here; the structure (which step a response leads to, ratings,
points, which options are correct) comes only from the validated curriculum files, so
the admin can never make a path loop or change how an answer already given was scored.
Learners' attempts and answers are not registered: HR sees them only as group
aggregates.
"""

from django.contrib import admin

from allyship.admin import PrivateLookupsMixin
from learning.content import render_markdown
from quizzes.models import Option, Question, Response, Scenario, Step


class StructureFromFilesMixin:
    """Inlines that edit wording only: no rows are added or removed here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StepInline(StructureFromFilesMixin, admin.StackedInline):
    model = Step
    fields = ["order", "slug", "title", "situation", "is_ending", "retired"]
    readonly_fields = ["order", "slug", "is_ending", "retired"]


@admin.register(Scenario)
class ScenarioAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "principle", "order", "max_score", "retired"]
    list_filter = ["retired", "principle"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["principle"]
    fields = ["slug", "title", "summary", "principle", "start_step", "max_score", "retired"]
    readonly_fields = ["slug", "principle", "start_step", "max_score", "retired"]
    inlines = [StepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_formset(self, request, form, formset, change):
        for step in formset.save(commit=False):
            step.situation_html = render_markdown(step.situation)
            step.save()


@admin.register(Response)
class ResponseAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["text", "step", "rating", "points", "retired"]
    list_filter = ["rating", "retired", "step__scenario"]
    search_fields = ["text", "feedback", "slug"]
    list_select_related = ["step", "step__scenario"]
    fields = ["step", "slug", "text", "rating", "points", "principle", "feedback", "next_step"]
    readonly_fields = ["step", "slug", "rating", "points", "principle", "next_step"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        obj.feedback_html = render_markdown(obj.feedback)
        super().save_model(request, obj, form, change)


class OptionInline(StructureFromFilesMixin, admin.TabularInline):
    model = Option
    fields = ["order", "text", "is_correct"]
    readonly_fields = ["order", "is_correct"]


@admin.register(Question)
class QuestionAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["prompt", "module", "purpose", "kind", "principle", "retired"]
    list_filter = ["purpose", "kind", "retired", "principle"]
    search_fields = ["prompt", "explanation", "slug"]
    list_select_related = ["module", "principle"]
    fields = ["slug", "module", "principle", "purpose", "kind", "prompt", "explanation", "retired"]
    readonly_fields = ["slug", "module", "principle", "purpose", "kind", "retired"]
    inlines = [OptionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        obj.explanation_html = render_markdown(obj.explanation)
        super().save_model(request, obj, form, change)
