"""The badge registry: every badge, the visible criteria, its icon and the rule that decides it.

A badge is evaluated only when an event that can earn it happens (its `triggers`), for the
one person concerned, never by scanning everyone. Rules read `LearnerFacts`, where each fact
costs one query and is loaded at most once, so evaluating a trigger or drawing the gallery
costs a constant number of queries. `BadgeAward` has unique (user, badge): a badge is awarded
at most once per person, whatever retries or concurrent requests happen.

Adding a badge touches only `BADGES` below and its test in tests/recognition/test_badges.py.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.safestring import SafeString

from learning.models import (
    Assignment,
    BadgeAward,
    Commitment,
    CourseProgress,
    LearnerStats,
    LessonCompletion,
    ModuleProgress,
)
from learning.recognition import rewards
from learning.recognition.badge_icons import Icon, icon_svg
from learning.recognition.quiz_facts import QUIZ_FACTS, ScenarioScore


class Trigger(StrEnum):
    LESSON = "lesson"
    MODULE = "module"
    COURSE = "course"
    SCENARIO = "scenario"
    KNOWLEDGE = "knowledge"
    COMMITMENT = "commitment"
    STREAK = "streak"


# A scenario path is "strong" when its score reaches this share of the scenario's best score.
STRONG_PATH_SHARE = (4, 5)  # 80 %
STREAK_WEEKS = 4
FOLLOW_THROUGHS_MANY = 5


class Progress(NamedTuple):
    """How far a person is toward a badge: (current, target); earned when current >= target."""

    current: int
    target: int

    @property
    def earned(self) -> bool:
        return self.target > 0 and self.current >= self.target

    @property
    def percent(self) -> int:
        return min(100, self.current * 100 // self.target) if self.target > 0 else 0


def strong_path_score(max_score: int) -> int:
    """The lowest score that counts as a strong path through a scenario with this best score."""
    share, whole = STRONG_PATH_SHARE
    return -(-max_score * share // whole)  # ceiling division, in whole numbers


class LearnerFacts:
    """What badge rules read about one person. Each fact is one query, loaded on first use."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def lessons_read(self) -> int:
        return LessonCompletion.objects.filter(user=self.user).count()

    @cached_property
    def modules_completed(self) -> int:
        return ModuleProgress.objects.filter(user=self.user, completed_at__isnull=False).count()

    @cached_property
    def courses_completed(self) -> int:
        return CourseProgress.objects.filter(user=self.user, completed_at__isnull=False).count()

    @cached_property
    def courses_on_time(self) -> int:
        """Assigned courses completed on or before their due date (same-join filter)."""
        return Assignment.objects.filter(
            user=self.user,
            withdrawn_at__isnull=True,
            course__progress__user=self.user,
            course__progress__completed_at__isnull=False,
            course__progress__completed_at__date__lte=F("due_on"),
        ).count()

    @cached_property
    def commitments_followed_through(self) -> int:
        return Commitment.objects.filter(user=self.user).followed_through().count()

    @cached_property
    def stats(self) -> LearnerStats:
        return LearnerStats.objects.filter(user=self.user).first() or LearnerStats(user=self.user)

    @cached_property
    def scenario_scores(self) -> dict[str, ScenarioScore]:
        """Every scenario (a curriculum-sized list) with the person's best finished score."""
        return QUIZ_FACTS.scenario_scores(self.user)

    @cached_property
    def knowledge_gained(self) -> bool:
        """Whether any course's post-test beat its pre-test (quizzes' own measure of gain)."""
        return QUIZ_FACTS.knowledge_gained(self.user)


Rule = Callable[[LearnerFacts], Progress]


# The parameterised rules are small classes, not closures made by a factory: the registry below
# is built when the module is imported, and a factory called then would run before any test.
@dataclass(frozen=True)
class AtLeast:
    """Earned once one of the person's counts reaches a target; progress is the count so far."""

    fact: str
    target: int

    def __call__(self, facts: LearnerFacts) -> Progress:
        return Progress(min(getattr(facts, self.fact), self.target), self.target)


@dataclass(frozen=True)
class StrongPath:
    """Earned by finishing one scenario with at least the strong share of its best score."""

    scenario_slug: str

    def __call__(self, facts: LearnerFacts) -> Progress:
        score = facts.scenario_scores.get(self.scenario_slug)
        if score is None or score.max_score == 0:
            return Progress(0, 1)  # the scenario is not loaded: nothing to earn yet
        target = strong_path_score(score.max_score)
        return Progress(min(score.best_score or 0, target), target)


def _perfect_path(facts: LearnerFacts) -> Progress:
    perfect = any(
        s.max_score > 0 and s.best_score == s.max_score for s in facts.scenario_scores.values()
    )
    return Progress(int(perfect), 1)


def _streak(facts: LearnerFacts) -> Progress:
    # Reaching the streak once earns it; until then, show the streak now running.
    stats = facts.stats
    if max(stats.longest_streak, stats.current_streak) >= STREAK_WEEKS:
        return Progress(STREAK_WEEKS, STREAK_WEEKS)
    return Progress(stats.current_streak, STREAK_WEEKS)


def _knowledge_gain(facts: LearnerFacts) -> Progress:
    return Progress(int(facts.knowledge_gained), 1)


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    description: str  # what the badge celebrates
    criteria: str  # how to earn it, shown in the gallery and in the credential
    triggers: frozenset[Trigger]
    rule: Rule
    icon: Icon
    xp: int = 25
    unit: str = ""  # what progress counts, e.g. "points" in "6 of 8 points"

    def progress(self, user=None, *, facts: LearnerFacts | None = None) -> Progress:
        """(current, target) toward this badge for a person; pass `facts` to share queries."""
        return self.rule(facts if facts is not None else LearnerFacts(user))

    @property
    def alt(self) -> str:
        return f"{self.name} badge"

    def svg(
        self,
        *,
        earned: bool = True,
        size: int = 64,
        standalone: bool = False,
        decorative: bool = False,
    ) -> SafeString:
        """The icon as inline SVG with role="img" and its text alternative (see badge_icons)."""
        label = self.alt if earned else f"{self.alt} (not earned yet)"
        return icon_svg(
            self.icon,
            label=label,
            earned=earned,
            size=size,
            standalone=standalone,
            decorative=decorative,
        )


# The seed scenarios: (slug, title as the curriculum names it, badge name, description, icon).
SCENARIO_BADGES = (
    (
        "interrupted-in-meetings",
        "Talked over in the design review",
        "Meeting ally",
        "You helped overlooked colleagues be heard in meetings.",
        Icon("speech", "#1f4e8c"),
    ),
    (
        "transgender-colleague",
        "Not a joke to Rowan",
        "Steady support",
        "You stood with a transgender colleague facing microaggressions.",
        Icon("shield", "#0b6b66"),
    ),
    (
        "leadership-representation",
        "Who gets to lead",
        "Opening doors",
        "You acted on who reaches leadership, and how.",
        Icon("stairs", "#5b2a86"),
    ),
    (
        "performative-statement",
        "A rainbow logo and nothing behind it",
        "Beyond the statement",
        "You chose real action over a performative statement.",
        Icon("megaphone", "#8a4b00"),
    ),
    (
        "token-panel",
        "More than a diverse face",
        "No token gestures",
        "You turned a token panel into genuine inclusion.",
        Icon("people", "#a1232b"),
    ),
    (
        "bystander-team-event",
        "Five ways in at the summer social",
        "Five ways in",
        "You stepped in at a team event and let the person harmed decide what came next.",
        Icon("shield", "#1f4e8c"),
    ),
    (
        "hybrid-meeting-hearing",
        "Half a conversation",
        "Heard in the room",
        "You asked a hard-of-hearing colleague what helps and made it every meeting's habit.",
        Icon("speech", "#0b6b66"),
    ),
    (
        "direct-style-review",
        "Blunt is not the same as rude",
        "Judged on the work",
        "You kept a review about the work, not about a style of speaking.",
        Icon("checks", "#8a4b00"),
    ),
    (
        "where-are-you-really-from",
        "Leeds is the answer",
        "Took on the explaining",
        "You challenged everyday microaggressions so the explaining stopped falling on her.",
        Icon("megaphone", "#5b2a86"),
    ),
    (
        "decided-in-the-kitchen",
        "Decided in the kitchen",
        "Fair by default",
        "You pushed for ways of working that count remote colleagues in.",
        Icon("clock", "#a1232b"),
    ),
    (
        "ramadan-team-dinner",
        "Dinner after sunset",
        "Asked, not assumed",
        "You planned a team event by asking people what works, not assuming.",
        Icon("handshake", "#7a2456"),
    ),
)
STRONG_PERCENT = STRONG_PATH_SHARE[0] * 100 // STRONG_PATH_SHARE[1]


BADGES: tuple[Badge, ...] = (
    Badge(
        slug="first-lesson",
        name="First lesson",
        description="You started learning what allyship means.",
        criteria="Read your first lesson.",
        triggers=frozenset({Trigger.LESSON}),
        rule=AtLeast("lessons_read", 1),
        icon=Icon("book", "#1f4e8c"),
        xp=10,
    ),
    Badge(
        slug="first-module",
        name="Module complete",
        description="You finished a whole module: lessons, check and a commitment.",
        criteria="Complete a module: read its lessons, answer its knowledge check and make "
        "an action commitment.",
        triggers=frozenset({Trigger.MODULE}),
        rule=AtLeast("modules_completed", 1),
        icon=Icon("check", "#1f6b2e"),
    ),
    Badge(
        slug="first-course",
        name="Course complete",
        description="You completed a course from start to finish.",
        criteria="Complete every module of a course.",
        triggers=frozenset({Trigger.COURSE}),
        rule=AtLeast("courses_completed", 1),
        icon=Icon("flag", "#5b2a86"),
        xp=50,
    ),
    Badge(
        slug="on-time",
        name="Ahead of time",
        description="You completed an assigned course by its due date.",
        criteria="Complete a course assigned to you on or before its due date.",
        triggers=frozenset({Trigger.COURSE}),
        rule=AtLeast("courses_on_time", 1),
        icon=Icon("clock", "#0b6b66"),
    ),
    *(
        Badge(
            slug=f"strong-{slug}",
            name=name,
            description=description,
            criteria=f"Finish the scenario “{title}” with at least {STRONG_PERCENT}% of its "
            "best possible score.",
            triggers=frozenset({Trigger.SCENARIO}),
            rule=StrongPath(slug),
            icon=icon,
            unit="points",
        )
        for slug, title, name, description, icon in SCENARIO_BADGES
    ),
    Badge(
        slug="perfect-path",
        name="Perfect path",
        description="You found the strongest ally move at every step of a scenario.",
        criteria="Finish any scenario with its best possible score.",
        triggers=frozenset({Trigger.SCENARIO}),
        rule=_perfect_path,
        icon=Icon("star", "#7a2456"),
        xp=50,
    ),
    Badge(
        slug="first-follow-through",
        name="Walk the talk",
        description="You did what you committed to. Allyship is action.",
        criteria="Report that you did, or partly did, an action you committed to.",
        triggers=frozenset({Trigger.COMMITMENT}),
        rule=AtLeast("commitments_followed_through", 1),
        icon=Icon("handshake", "#1f6b2e"),
        xp=50,
    ),
    Badge(
        slug="five-follow-throughs",
        name="Ally in action",
        description="Five real actions, followed through.",
        criteria=f"Follow through on {FOLLOW_THROUGHS_MANY} of your action commitments.",
        triggers=frozenset({Trigger.COMMITMENT}),
        rule=AtLeast("commitments_followed_through", FOLLOW_THROUGHS_MANY),
        icon=Icon("checks", "#40185f"),
        xp=100,
        unit="commitments",
    ),
    Badge(
        slug="knowledge-gain",
        name="Growing understanding",
        description="Your post-test showed you know more than when you started.",
        criteria="Score higher on a course's post-test than on its pre-test.",
        triggers=frozenset({Trigger.KNOWLEDGE}),
        rule=_knowledge_gain,
        icon=Icon("growth", "#0b6b66"),
    ),
    Badge(
        slug="four-week-streak",
        name="Steady learner",
        description="You kept learning week after week.",
        criteria=f"Learn something in each of {STREAK_WEEKS} weeks in a row.",
        triggers=frozenset({Trigger.STREAK}),
        rule=_streak,
        icon=Icon("flame", "#a1232b"),
        unit="weeks",
    ),
)

REGISTRY: dict[str, Badge] = {badge.slug: badge for badge in BADGES}
BY_TRIGGER: dict[Trigger, tuple[Badge, ...]] = {
    trigger: tuple(badge for badge in BADGES if trigger in badge.triggers) for trigger in Trigger
}
if len(REGISTRY) != len(BADGES):
    raise ImportError("Two badges share a slug in learning/recognition/badges.py.")


def badge_award(*, user, badge: Badge) -> BadgeAward | None:
    """Award a badge once; returns the new award, or None if the person already had it.

    Side effects: one BadgeAward row (unseen, so it is celebrated) and, for badges that pay,
    one XP ledger entry with source ``badge:<slug>``.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                award, created = BadgeAward.objects.get_or_create(user=user, badge=badge.slug)
        except IntegrityError:
            return None
        if not created:
            return None
        if badge.xp:
            rewards.xp_award(
                user=user,
                source=f"badge:{badge.slug}",
                amount=badge.xp,
                reason=f"Earned the badge “{badge.name}”",
            )
    return award


def evaluate(user, trigger: Trigger) -> list[BadgeAward]:
    """Award any badge the trigger may have earned; returns the new awards.

    Only the badges registered for this trigger are considered, in a constant number of
    queries: the person's awards among them, the facts their rules read, and each award.
    """
    candidates = BY_TRIGGER[Trigger(trigger)]  # every trigger has an entry; unknown ones raise
    if not candidates:
        return []
    held = set(
        BadgeAward.objects.filter(
            user=user, badge__in=[badge.slug for badge in candidates]
        ).values_list("badge", flat=True)
    )
    facts = LearnerFacts(user)
    awards = []
    for badge in candidates:
        if badge.slug in held or not badge.progress(facts=facts).earned:
            continue
        award = badge_award(user=user, badge=badge)
        if award is not None:
            awards.append(award)
    return awards


def badge_awards_mark_seen(*, user, award_ids: Iterable[int] | None = None) -> int:
    """Mark the person's own awards as celebrated (all, or those ids); idempotent.

    Side effects: BadgeAward.seen; another person's award ids are ignored.
    """
    awards = BadgeAward.objects.filter(user=user, seen=False)
    if award_ids is not None:
        awards = awards.filter(pk__in=list(award_ids))
    with transaction.atomic():
        return awards.update(seen=True)
