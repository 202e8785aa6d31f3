"""The curriculum (principles, modules, lessons, courses), and each learner's progress,
assignments, reflections, commitments, XP and badges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

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
    title = models.CharField(max_length=160)
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


class AssignmentScope(models.TextChoices):
    PEOPLE = "people", "Chosen people"
    DEPARTMENT = "department", "A department"
    TEAM = "team", "A manager's whole team"
    PEOPLE_LEADERS = "people-leaders", "People leaders (everyone with at least one report)"
    EVERYONE = "everyone", "Everyone"


class AssignmentRule(models.Model):
    """A group assignment: everyone in the group now, and whoever joins it later."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="rules")
    scope = models.CharField(max_length=20, choices=AssignmentScope.choices)
    department = models.ForeignKey(
        "allyship.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course} for {self.get_scope_display()}"


class Assignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    rule = models.ForeignKey(
        AssignmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="assignment_once_per_course")
        ]
        indexes = [models.Index(fields=["course", "due_on"])]

    def __str__(self) -> str:
        return f"{self.course} for {self.user} by {self.due_on}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.lesson}"


class ModuleProgress(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    lessons_completed = models.PositiveIntegerField(default=0)
    check_completed = models.BooleanField(default=False)
    commitment_made = models.BooleanField(default=False)
    percent = models.PositiveSmallIntegerField(default=0)
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="module_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.module} {self.percent}%"


class CourseProgress(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_progress")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="progress")
    modules_completed = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    last_module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="course_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="course_percent_range"
            ),
        ]
        indexes = [models.Index(fields=["course", "percent"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.course} {self.percent}%"


REFLECTION_MAX = 5000


class Reflection(models.Model):
    """A learner's private answer to a prompt. Only its author ever sees the text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reflections")
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=REFLECTION_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "prompt"], name="reflection_once_per_prompt")
        ]

    def __str__(self) -> str:
        return f"Reflection #{self.pk}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Planned"
    DONE = "done", "Done"
    PARTLY = "partly", "Partly done"
    NOT_YET = "not_yet", "Not yet"


COMMITMENT_MAX = 500


class Commitment(models.Model):
    """An action the learner commits to at the end of a module, and how it went."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="commitments")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="commitments")
    suggestion = models.ForeignKey(
        CommitmentSuggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=COMMITMENT_MAX)
    check_in_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    note = models.TextField(blank=True, max_length=2000)
    rescheduled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["check_in_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="commitment_once_per_module")
        ]
        indexes = [models.Index(fields=["status", "check_in_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def followed_through(self) -> bool:
        return self.status in {CommitmentStatus.DONE, CommitmentStatus.PARTLY}


class XpEvent(models.Model):
    """The append-only XP ledger. `source` names what paid, so each source pays once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="xp_events")
    source = models.CharField(max_length=120)
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="xp_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.amount} XP: {self.reason}"


class LearnerStats(models.Model):
    """Each person's XP total, level and weekly streak, kept in step with the ledger."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="stats")
    xp_total = models.PositiveIntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=1)
    current_streak = models.PositiveIntegerField(default=0)
    longest_streak = models.PositiveIntegerField(default=0)
    last_active_week = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.xp_total} XP"


class BadgeAward(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=60)
    awarded_at = models.DateTimeField(default=timezone.now)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="badge_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user}"


class Certificate(models.Model):
    """Proof that a person completed a course; `code` is checked publicly at /verify/<code>/."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.user}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """One reminder email; the constraint allows at most one of a kind per assignment per day."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "sent_on"], name="reminder_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder on {self.sent_on}"


class DigestSent(models.Model):
    """A manager's weekly digest of their team's overdue items: once per manager per week."""

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "week"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.manager} week of {self.week}"


class Nudge(models.Model):
    """A manager's friendly reminder to a team member: once per person per course per week."""

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nudges_sent")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nudges_received")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week it was sent.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course", "week"], name="nudge_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"Nudge to {self.learner} about {self.course}"
