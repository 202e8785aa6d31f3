"""Reads for the recognition pages: badges, the XP history, levels, certificates, team goals.

Each returns what its template needs, already preloaded, in a constant number of queries.
The `get_*_for_user` helpers answer 404 for anything that is not the person's own.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from learning.models import (
    Assignment,
    BadgeAward,
    Certificate,
    CourseProgress,
    LearnerStats,
    XpEvent,
)
from learning.recognition.badges import BADGES, REGISTRY, Badge, LearnerFacts, Progress
from learning.recognition.rewards import Level, level_for, next_level

# Team goals are shown only for groups at least this big, so nobody can be singled out.
TEAM_GOAL_MINIMUM = 5
# Team goals are the same for everyone sharing a manager: kept this long in the shared cache.
TEAM_GOAL_SECONDS = 60
TOASTS_SHOWN = 5  # more new badges than this are summed up as "and more"


@dataclass(frozen=True)
class BadgeCard:
    badge: Badge
    award: BadgeAward | None
    progress: Progress | None  # None for an earned badge: nothing left to show

    @property
    def earned(self) -> bool:
        return self.award is not None


def badge_gallery(user) -> list[BadgeCard]:
    """Every registered badge, earned or not, with progress toward those not yet earned.

    Queries: the person's awards, plus the facts the unearned badges' rules read (shared).
    """
    awards = {award.badge: award for award in BadgeAward.objects.filter(user=user)}
    facts = LearnerFacts(user)
    return [
        BadgeCard(
            badge=badge,
            award=awards.get(badge.slug),
            progress=None if badge.slug in awards else badge.progress(facts=facts),
        )
        for badge in BADGES
    ]


def badge_count(user) -> int:
    """How many registered badges the person has earned."""
    return BadgeAward.objects.filter(user=user, badge__in=list(REGISTRY)).count()


def unseen_awards(user) -> tuple[list[tuple[BadgeAward, Badge]], bool]:
    """The newest few awards not yet celebrated, and whether there are more (one query)."""
    unseen = BadgeAward.objects.filter(user=user, seen=False, badge__in=list(REGISTRY))
    newest = list(unseen.order_by("-awarded_at", "-id")[: TOASTS_SHOWN + 1])
    shown = [(award, REGISTRY[award.badge]) for award in newest[:TOASTS_SHOWN]]
    return shown, len(newest) > TOASTS_SHOWN


def stats_of(user) -> LearnerStats:
    return LearnerStats.objects.filter(user=user).first() or LearnerStats(user=user)


@dataclass(frozen=True)
class LevelSummary:
    level: Level
    next: Level | None
    xp: int

    @property
    def to_next(self) -> int:
        return self.next.threshold - self.xp if self.next else 0

    @property
    def percent(self) -> int:
        """How far through the current level toward the next, 0 to 100."""
        if self.next is None:
            return 100
        span = self.next.threshold - self.level.threshold
        return min(100, (self.xp - self.level.threshold) * 100 // span)


def level_summary(stats: LearnerStats) -> LevelSummary:
    level = level_for(stats.xp_total)
    return LevelSummary(level=level, next=next_level(level), xp=stats.xp_total)


def xp_history(user) -> QuerySet[XpEvent]:
    """The person's XP ledger, newest first."""
    return XpEvent.objects.filter(user=user).order_by("-created_at", "-id")


def completed_courses(user) -> QuerySet[CourseProgress]:
    """Courses the person completed, newest first, with the course and certificate code."""
    code = Certificate.objects.filter(user=user, course=OuterRef("course_id")).values("code")[:1]
    return (
        CourseProgress.objects.filter(user=user, completed_at__isnull=False)
        .select_related("course")
        .annotate(certificate_code=Subquery(code))
        .order_by("-completed_at", "-id")
    )


@dataclass(frozen=True)
class TeamGoal:
    course_slug: str
    course_title: str
    people: int
    percent: int


def team_goals(user) -> list[TeamGoal]:
    """How far the person's team is through each course assigned to it, in one query.

    The team is everyone who shares the person's manager (the person included). A course is
    shown only when at least TEAM_GOAL_MINIMUM of them have it assigned, so the average never
    points at anyone; someone without progress counts as 0 %.
    """
    if not getattr(user, "manager_id", None):
        return []
    percent = CourseProgress.objects.filter(
        user=OuterRef("user_id"), course=OuterRef("course_id")
    ).values("percent")[:1]
    rows = (
        Assignment.objects.filter(
            user__manager_id=user.manager_id,
            user__is_active=True,
            withdrawn_at__isnull=True,
            course__retired=False,
        )
        .values("course_id", "course__slug", "course__title", "course__order")
        .annotate(
            people=Count("user_id", distinct=True),
            average=Avg(Coalesce(Subquery(percent), Value(0))),
        )
        .filter(people__gte=TEAM_GOAL_MINIMUM)
        .order_by("course__order", "course__title")
    )
    return [
        TeamGoal(
            course_slug=row["course__slug"],
            course_title=row["course__title"],
            people=row["people"],
            percent=int(row["average"] or 0),
        )
        for row in rows
    ]


def team_goals_shared(user) -> list[TeamGoal]:
    """Team goals as every member of the team sees them: computed once per team and kept
    TEAM_GOAL_SECONDS in the cache all servers share (the figures are the team's, not
    the person's: nothing personal is cached)."""
    if not getattr(user, "manager_id", None):
        return []
    return cache.get_or_set(
        f"team-goals:{user.manager_id}", lambda: team_goals(user), TEAM_GOAL_SECONDS
    )
