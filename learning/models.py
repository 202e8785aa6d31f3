"""The curriculum (principles, modules, lessons, courses), and each learner's progress,
assignments, reflections, commitments, XP and badges."""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

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
    # Who the rule is for, as one value ("department:3", "team:12", "everyone", or
    # "people:<hash of their ids>"), so the database can hold one live rule per course
    # and group: the same form posted twice, at once or in a row, makes one rule.
    group_key = models.CharField(max_length=80)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "group_key"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_rule_once_per_live_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.get_scope_display()}"

    @staticmethod
    def key_for(
        scope: str,
        department_id: int | None = None,
        team_manager_id: int | None = None,
        people_ids: Iterable[int] = (),
    ) -> str:
        """The `group_key` of a rule for that group (people: the same set, in any order)."""
        if scope == AssignmentScope.DEPARTMENT:
            return f"department:{department_id}"
        if scope == AssignmentScope.TEAM:
            return f"team:{team_manager_id}"
        if scope == AssignmentScope.PEOPLE:
            ids = ",".join(str(pk) for pk in sorted(set(people_ids)))
            return "people:" + hashlib.sha256(ids.encode()).hexdigest()
        return str(scope)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    """The one definition of live, completed, open and overdue assignments: the home page,
    the reports, the summaries, reminders, digests and nudges all use these."""

    def live(self) -> "AssignmentQuerySet":
        """Not withdrawn, of a course still offered, for a person who is still here."""
        return self.filter(withdrawn_at__isnull=True, course__retired=False, user__is_active=True)

    def completed(self) -> "AssignmentQuerySet":
        """Its person has completed its course."""
        return self.filter(_course_completed())

    def open(self) -> "AssignmentQuerySet":
        """Its person has not completed its course yet."""
        return self.exclude(_course_completed())

    def with_completion(self) -> "AssignmentQuerySet":
        """Each assignment with `is_complete`: the same rule as `completed`, as a column."""
        return self.annotate(is_complete=_course_completed())

    def overdue(self, today: datetime.date | None = None) -> "AssignmentQuerySet":
        """Open and past its due date (due today is not overdue)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


def _course_completed() -> Exists:
    """For an assignment: has its person completed its course?"""
    return Exists(
        CourseProgress.objects.filter(
            user=OuterRef("user"), course=OuterRef("course"), completed_at__isnull=False
        )
    )


def is_overdue(*, due_on: datetime.date, completed: bool, today: datetime.date) -> bool:
    """The same rule as `AssignmentQuerySet.overdue`, for one assignment already in memory."""
    return not completed and due_on < today


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

    objects = AssignmentQuerySet.as_manager()

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
    NOT_YET = "not_yet", "Not acted on"
    NOT_ARISEN = "not_arisen", "Did not come up"


class CheckInOutcome(models.TextChoices):
    WELL = "well", "It went well"
    MIXED = "mixed", "Mixed"
    POORLY = "poorly", "Not well"


COMMITMENT_MAX = 500
SITUATION_MAX = 300
NOTE_MAX = 2000


# A check-in counts only when made on or after the plan's check-in date: the one rule for
# "followed through", used by the queryset below, the badges and the insights.
ON_TIME = Q(reported_at__date__gte=models.F("check_in_on"))
FOLLOWED_THROUGH = Q(status__in=["done", "partly"]) & ON_TIME


class CommitmentQuerySet(models.QuerySet):
    def followed_through(self) -> "CommitmentQuerySet":
        """Done or partly done, reported on or after the check-in date."""
        return self.filter(FOLLOWED_THROUGH)


class Commitment(models.Model):
    """An if-then plan made at the end of a module ("When <situation>, I will <action>"),
    and, at the check-in, whether the situation came up, what the learner did and how it went.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="commitments")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="commitments")
    suggestion = models.ForeignKey(
        CommitmentSuggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    situation = models.CharField(max_length=SITUATION_MAX, blank=True)
    action = models.CharField(max_length=COMMITMENT_MAX)
    private_note = models.TextField(blank=True, max_length=NOTE_MAX)
    check_in_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    arose = models.BooleanField(null=True, blank=True)
    went = models.CharField(max_length=10, choices=CheckInOutcome.choices, blank=True)
    # What the learner did, written at the check-in; private like the plan's note.
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    # True once "it didn't come up" opened the plan's second window.
    rescheduled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["check_in_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="commitment_once_per_module"),
            models.CheckConstraint(
                condition=Q(status="open", reported_at__isnull=True)
                | (~Q(status="open") & Q(reported_at__isnull=False)),
                name="commitment_reported_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "check_in_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The plan as one sentence."""
        if not self.situation:
            return self.action
        return f"When {self.situation}, I will {self.action}"

    @property
    def followed_through(self) -> bool:
        return self.status in {CommitmentStatus.DONE, CommitmentStatus.PARTLY}


# Follow-through XP may be paid for at most this many modules per week.
FOLLOW_THROUGH_XP_PER_WEEK = 2


class FollowThroughReward(models.Model):
    """The XP a follow-through earned: once per module, and at most
    FOLLOW_THROUGH_XP_PER_WEEK per learner per week (a slot number per week)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    commitment = models.OneToOneField(Commitment, on_delete=models.CASCADE, related_name="reward")
    week = models.DateField(help_text="The Monday of the week it was paid.")
    slot = models.PositiveSmallIntegerField()
    paid_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="follow_through_once"),
            models.UniqueConstraint(
                fields=["user", "week", "slot"], name="follow_through_weekly_slot"
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=FOLLOW_THROUGH_XP_PER_WEEK),
                name="follow_through_weekly_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-through reward for {self.user} in week {self.week}"


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


class LearningSummary(models.Model):
    """One row per person: their live assignments at a glance, for the HR and team tables.

    Kept exact by `learning.summaries.learning_summaries_refresh`, which every write that
    changes what it holds calls in its own transaction. Who the person is (name, active,
    department) is copied here so that both tables filter, sort and page on one index.
    "Overdue" depends on the day, so it is not stored as a count: `open_due_dates` holds
    the due dates of the open assignments, and the overdue count is those before today
    (`overdue_on`); someone has an overdue course exactly when `next_due_on` is before
    today, which the indexes below serve.
    """

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="learning_summary"
    )
    full_name = models.CharField(max_length=150)
    # The address the search words were last made from (see SummaryWord).
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    department = models.ForeignKey(
        "allyship.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    # The average of the live assignments' course percentages; None with none assigned.
    completion = models.FloatField(null=True, blank=True)
    no_assignments = models.BooleanField(default=True)
    next_due_on = models.DateField(null=True, blank=True)
    nothing_due = models.BooleanField(default=True)
    open_due_dates = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "learning summaries"
        indexes = [
            models.Index(fields=["is_active", "full_name", "user"], name="summary_by_name"),
            models.Index(
                fields=["is_active", "no_assignments", "completion", "full_name", "user"],
                name="summary_by_completion",
            ),
            models.Index(
                fields=["is_active", "no_assignments", "-completion", "full_name", "user"],
                name="summary_by_completion_desc",
            ),
            models.Index(
                fields=["is_active", "nothing_due", "next_due_on", "full_name", "user"],
                name="summary_by_due",
            ),
            models.Index(
                fields=["is_active", "nothing_due", "-next_due_on", "full_name", "user"],
                name="summary_by_due_desc",
            ),
            models.Index(fields=["department", "full_name", "user"], name="summary_by_department"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed__lte=models.F("assigned"))
                & Q(in_progress__lte=models.F("assigned")),
                name="summary_counts_within_assigned",
            ),
            models.CheckConstraint(
                condition=Q(completion__isnull=True) | Q(completion__gte=0, completion__lte=100),
                name="summary_completion_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.completed} of {self.assigned} completed"

    def overdue_on(self, today: datetime.date) -> int:
        """How many open assignments are past their due date on `today`."""
        cutoff = today.isoformat()
        return sum(1 for due in self.open_due_dates if due < cutoff)


class SummaryWord(models.Model):
    """One word of a person's name or email address, folded (lower case, no accents), for
    the people search: a search term matches the people with a word that starts with it,
    through the index on `word`, so searching costs the same at 100 or 100,000 people.
    Written only by `learning.summaries`, with the summary, when the name or address
    changes (see `summaries.search_words`)."""

    summary = models.ForeignKey(LearningSummary, on_delete=models.CASCADE, related_name="words")
    word = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "word"], name="summary_word_once"),
        ]

    def __str__(self) -> str:
        return self.word


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


# The refresher models live in their package but belong to this app.
from learning.refreshers.models import (  # noqa: E402, F401
    RefresherCard,
    RefresherPause,
    RefresherReminder,
    RefresherReview,
)
