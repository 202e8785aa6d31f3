"""The curriculum: principles, modules and their lessons, reflection prompts and commitment
suggestions, and courses made of modules."""

from django.conf import settings
from django.db import models

from allyship.validators import validate_single_line

User = settings.AUTH_USER_MODEL


class Principle(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=160)
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="modules")
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    scenario = models.ForeignKey(
        "quizzes.Scenario", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stored so progress can be computed without counting rows on every page.
    lesson_count = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def step_count(self) -> int:
        """Lessons, then the knowledge check, then the action commitment."""
        return self.lesson_count + 2


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=160)
    body = models.TextField(help_text="Markdown. Raw HTML is removed when it is rendered.")
    body_html = models.TextField(editable=False, default="")
    minutes = models.PositiveIntegerField(default=3)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="lesson_unique_slug_in_module")
        ]

    def __str__(self) -> str:
        return self.title


class ReflectionPrompt(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="prompts")
    slug = models.SlugField(max_length=80)
    prompt = models.TextField()
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="prompt_unique_slug_in_module")
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class CommitmentSuggestion(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="suggestions")
    slug = models.SlugField(max_length=80)
    text = models.CharField(max_length=500)
    # The "When ..." of an if-then plan, offered with the action; optional in the curriculum.
    situation = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "slug"], name="suggestion_unique_slug_in_module"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Course(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    # Course titles go into reminder subjects: one line only.
    title = models.CharField(max_length=160, validators=[validate_single_line])
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    estimated_minutes = models.PositiveIntegerField(default=0)
    module_count = models.PositiveIntegerField(default=0)
    modules = models.ManyToManyField(Module, through="CourseModule", related_name="courses")
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class CourseModule(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_modules")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="course_modules")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "module"], name="course_module_once")
        ]

    def __str__(self) -> str:
        return f"{self.course} / {self.module}"
