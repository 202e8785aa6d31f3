"""Branching scenarios, knowledge-check questions, and learners' attempts and answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

User = settings.AUTH_USER_MODEL


class Rating(models.TextChoices):
    STRONG = "strong", "Strong ally move"
    PARTIAL = "partial", "Partial"
    HARMFUL = "harmful", "Harmful"


# Points allowed for each rating; the loader and a database constraint both hold to these.
POINTS_RANGE = {Rating.STRONG: (7, 10), Rating.PARTIAL: (3, 6), Rating.HARMFUL: (0, 2)}


class Outcome(models.TextChoices):
    """How an ending rates the path that reached it; the loader proves each is deserved."""

    BEST = "best", "The best outcome"
    GOOD = "good", "A good outcome"
    MIXED = "mixed", "A mixed outcome"
    POOR = "poor", "A poor outcome"


class Scenario(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=160)
    principle = models.ForeignKey(
        "learning.Principle", on_delete=models.PROTECT, related_name="scenarios"
    )
    summary = models.TextField(blank=True)
    start_step = models.ForeignKey(
        "Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The best score any path can reach, and the slugs of the steps along that path.
    max_score = models.PositiveIntegerField(default=0)
    strongest_path = models.JSONField(default=list, blank=True)
    # Minutes the longest path takes to read and decide (course estimates include it).
    minutes = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=160)
    situation = models.TextField(help_text="Markdown.")
    situation_html = models.TextField(editable=False, default="")
    is_ending = models.BooleanField(default=False)
    # A decision step where two responses are both defensible (the debrief names it).
    dilemma = models.BooleanField(default=False)
    # Endings only: how the ending rates the path, and when the path is given it
    # (quizzes.endings.Conditions: score bands in percent and flags set by responses).
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    conditions = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["scenario", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "slug"], name="step_unique_slug"),
            models.CheckConstraint(
                condition=Q(is_ending=True) | Q(outcome=""), name="step_outcome_only_on_endings"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario.slug}/{self.slug}"


class Response(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="responses")
    slug = models.SlugField(max_length=80)
    text = models.TextField()
    rating = models.CharField(max_length=10, choices=Rating.choices)
    points = models.PositiveSmallIntegerField()
    principle = models.ForeignKey("learning.Principle", on_delete=models.PROTECT, related_name="+")
    feedback = models.TextField(help_text="Markdown.")
    feedback_html = models.TextField(editable=False, default="")
    # Flags this choice sets on the path, for endings' conditions to test.
    sets = models.JSONField(default=list, blank=True)
    # None: the choice finishes the scenario, and the path's conditions pick the ending.
    next_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="arrivals"
    )
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["step", "order"]
        constraints = [
            models.UniqueConstraint(fields=["step", "slug"], name="response_unique_slug"),
            models.CheckConstraint(
                condition=(
                    Q(rating=Rating.STRONG, points__gte=7, points__lte=10)
                    | Q(rating=Rating.PARTIAL, points__gte=3, points__lte=6)
                    | Q(rating=Rating.HARMFUL, points__gte=0, points__lte=2)
                ),
                name="response_points_match_rating",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Attempt(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attempts")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveIntegerField(default=1)
    current_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveIntegerField(default=0)
    choices_made = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ending = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scenario", "number"], name="attempt_number_unique"
            ),
            # A double click on Start, or two tabs, can never open two attempts at once.
            models.UniqueConstraint(
                fields=["user", "scenario"],
                condition=Q(finished_at__isnull=True),
                name="attempt_one_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} at {self.scenario} by {self.user}"


class Choice(models.Model):
    """One decision in an attempt. At most one per step and per position (a constraint)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="choices")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="choices")
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="choices")
    position = models.PositiveSmallIntegerField()
    points = models.PositiveSmallIntegerField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "step"], name="choice_once_per_step"),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="choice_once_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"Choice {self.position} in attempt #{self.attempt_id}"


class ScenarioResult(models.Model):
    """A learner's best finished attempt at a scenario: the best score counts."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scenario_results")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="results")
    best_score = models.PositiveIntegerField(default=0)
    best_attempt = models.ForeignKey(
        Attempt, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts_finished = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scenario"], name="scenario_result_once")
        ]

    def __str__(self) -> str:
        return f"Best {self.best_score} at scenario #{self.scenario_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Choose one"
    MULTIPLE = "multiple", "Choose all that apply"


class QuestionPurpose(models.TextChoices):
    CHECK = "check", "Knowledge check inside a module"
    ASSESSMENT = "assessment", "Course pre- and post-test"


class QuestionForm(models.TextChoices):
    PRE = "pre", "Pre-test form"
    POST = "post", "Post-test form"


class Question(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    module = models.ForeignKey(
        "learning.Module", on_delete=models.CASCADE, related_name="questions"
    )
    principle = models.ForeignKey(
        "learning.Principle", on_delete=models.PROTECT, related_name="questions"
    )
    purpose = models.CharField(max_length=12, choices=QuestionPurpose.choices)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    prompt = models.TextField()
    explanation = models.TextField(help_text="Markdown, shown after answering.")
    explanation_html = models.TextField(editable=False, default="")
    # Assessment questions: the parallel form they belong to (the pre- or the post-test);
    # blank means the question is in both tests.
    form = models.CharField(max_length=4, choices=QuestionForm.choices, blank=True)
    # Applies the principle to a situation the lessons did not describe.
    application = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module", "purpose", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="assessment") | Q(form=""),
                name="question_form_only_on_assessment",
            )
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=400)
    is_correct = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="option_unique_order")
        ]

    def __str__(self) -> str:
        return self.text


class AnswerContext(models.TextChoices):
    MODULE = "module", "Knowledge check"
    PRE = "pre", "Course pre-test"
    POST = "post", "Course post-test"


class Answer(models.Model):
    """A learner's answer to a question in one context; scored on the server."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    context = models.CharField(max_length=10, choices=AnswerContext.choices)
    course = models.ForeignKey(
        "learning.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    selected = models.JSONField(default=list)
    # The option ids in the order this learner was shown them (shuffled per attempt).
    option_order = models.JSONField(default=list, blank=True)
    is_correct = models.BooleanField(default=False)
    # 0 to 1: a multiple-choice answer earns partial credit.
    score = models.FloatField(default=0)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(context="module"),
                name="answer_once_in_module",
            ),
            models.UniqueConstraint(
                fields=["user", "question", "context", "course"],
                condition=~Q(context="module"),
                name="answer_once_per_course_test",
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="score_0_to_1"),
            # Without a course, NULLs would slip past answer_once_per_course_test.
            models.CheckConstraint(
                condition=Q(context="module", course__isnull=True)
                | (~Q(context="module") & Q(course__isnull=False)),
                name="answer_course_matches_context",
            ),
        ]
        indexes = [models.Index(fields=["context", "question"])]

    def __str__(self) -> str:
        return f"Answer #{self.pk} ({self.context})"
