"""Authoring screens for the curriculum. Learners' private writing is never registered here."""

from django.contrib import admin

from allyship.admin import PrivateLookupsMixin
from learning import services
from learning.content import reading_minutes, render_markdown
from learning.models import (
    Assignment,
    AssignmentRule,
    CommitmentSuggestion,
    Course,
    CourseModule,
    Lesson,
    Module,
    Principle,
    ReflectionPrompt,
)
from learning.summaries import learning_summaries_refresh_for_courses


@admin.register(Principle)
class PrincipleAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "summary"]


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = ["order", "slug", "title", "body", "retired"]


class PromptInline(admin.TabularInline):
    model = ReflectionPrompt
    extra = 0
    fields = ["order", "slug", "prompt", "retired"]


class SuggestionInline(admin.TabularInline):
    model = CommitmentSuggestion
    extra = 0
    fields = ["order", "slug", "text", "retired"]


@admin.register(Module)
class ModuleAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "principle", "order", "lesson_count", "minutes", "scenario", "retired"]
    list_filter = ["retired", "principle"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["principle", "scenario"]
    inlines = [LessonInline, PromptInline, SuggestionInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Lesson):
                instance.body_html = render_markdown(instance.body)
                instance.minutes = reading_minutes(instance.body)
            instance.save()
        for obj in formset.deleted_objects:
            obj.retired = True
            obj.save(update_fields=["retired"])
        formset.save_m2m()
        services.module_lesson_count_refresh(module=form.instance)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "retired" in form.changed_data:  # the courses that list it change size
            for course in Course.objects.filter(course_modules__module=obj):
                services.course_module_count_refresh(course=course)


@admin.register(Lesson)
class LessonAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "module", "order", "minutes", "retired"]
    list_filter = ["retired", "module"]
    search_fields = ["title", "body", "module__title"]
    list_select_related = ["module"]

    def save_model(self, request, obj, form, change):
        obj.body_html = render_markdown(obj.body)
        obj.minutes = reading_minutes(obj.body)
        super().save_model(request, obj, form, change)
        services.module_lesson_count_refresh(module=obj.module)


class CourseModuleInline(admin.TabularInline):
    model = CourseModule
    extra = 0
    autocomplete_fields = ["module"]


@admin.register(Course)
class CourseAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "module_count", "estimated_minutes", "order", "retired"]
    list_filter = ["retired"]
    search_fields = ["title", "summary"]
    inlines = [CourseModuleInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "retired" in form.changed_data:
            # Retiring or restoring a course changes every assignee's live assignments.
            learning_summaries_refresh_for_courses(course_ids=[obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.course_module_count_refresh(course=form.instance)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["course", "scope", "department", "team_manager", "due_on", "withdrawn_at"]
    list_filter = ["scope", "course"]
    list_select_related = ["course", "department", "team_manager"]

    def has_add_permission(self, request):
        return False  # assignments are made on the HR pages, which audit them


@admin.register(Assignment)
class AssignmentAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["user", "course", "due_on", "withdrawn_at"]
    list_filter = ["course", "withdrawn_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
