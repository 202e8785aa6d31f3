"""The curriculum (principles, modules, lessons, courses), and each learner's progress,
assignments, reflections, commitments, XP and badges; one module per responsibility, all
importable from `learning.models`."""

from learning.models.assignments import (  # noqa: F401
    Assignment,
    AssignmentQuerySet,
    AssignmentRule,
    AssignmentScope,
    is_overdue,
)
from learning.models.commitments import (  # noqa: F401
    COMMITMENT_MAX,
    FOLLOW_THROUGH_XP_PER_WEEK,
    FOLLOWED_THROUGH,
    NOTE_MAX,
    ON_TIME,
    REFLECTION_MAX,
    SITUATION_MAX,
    CheckInOutcome,
    Commitment,
    CommitmentQuerySet,
    CommitmentStatus,
    FollowThroughReward,
    Reflection,
)
from learning.models.curriculum import (  # noqa: F401
    CommitmentSuggestion,
    Course,
    CourseModule,
    Lesson,
    Module,
    Principle,
    ReflectionPrompt,
)
from learning.models.notifications import (  # noqa: F401
    DigestSent,
    Nudge,
    ReminderKind,
    ReminderSent,
)
from learning.models.progress import (  # noqa: F401
    CourseProgress,
    LearningSummary,
    LessonCompletion,
    ModuleProgress,
    SummaryWord,
)
from learning.models.recognition import (  # noqa: F401
    BadgeAward,
    Certificate,
    LearnerStats,
    XpEvent,
)
