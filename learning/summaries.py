"""The stored learning summary per person (`LearningSummary`), kept exact by one service.

Every write that changes a person's live assignments or their progress calls
`learning_summaries_refresh` inside its own transaction: lesson, check and commitment
completion (through the progress refresh), course start, assignment rules (create,
withdraw, due-date change, late joiners), the people import, a curriculum load that
retires or restores a course, and the admin's save hooks. The summary is recomputed from
the facts, never incremented, so calling it twice is harmless.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from allyship.models import User
from learning.models import Assignment, LearningSummary, SummaryWord

CHUNK = 500
FIELDS = [
    "full_name",
    "email",
    "is_active",
    "department",
    "assigned",
    "completed",
    "in_progress",
    "completion",
    "no_assignments",
    "next_due_on",
    "nothing_due",
    "open_due_dates",
    "updated_at",
]


def learning_summaries_refresh(*, user_ids: Iterable[int]) -> int:
    """Recompute these people's summary rows from their assignments and progress.

    Each row is locked before its facts are read (in ascending id order), so two
    transactions refreshing the same person run one after the other and the later one
    reads what the earlier committed. Four queries per 500 people, two more when a name or
    address changed (its search words are rewritten). Returns how many rows.
    """
    ids = sorted(set(user_ids))
    done = 0
    for start in range(0, len(ids), CHUNK):
        # Its own transaction when the caller has none (a person saved in autocommit, as
        # the admin and concurrent tests do): the row locks need one.
        with transaction.atomic():
            done += _refresh_chunk(ids[start : start + CHUNK])
    return done


def learning_summaries_refresh_all() -> int:
    """Recompute everyone's summary (after a bulk change such as seeding demo data)."""
    return learning_summaries_refresh(user_ids=User.objects.values_list("id", flat=True))


def _refresh_chunk(ids: list[int]) -> int:
    LearningSummary.objects.bulk_create(
        [LearningSummary(user_id=pk) for pk in ids], ignore_conflicts=True
    )
    summaries = {
        summary.user_id: summary
        for summary in LearningSummary.objects.select_for_update()
        .filter(user_id__in=ids)
        .order_by("user_id")
    }
    people = User.objects.filter(id__in=ids).values(
        "id", "full_name", "email", "is_active", "department_id"
    )
    assignments = (
        Assignment.objects.filter(user_id__in=ids)
        .live()
        .annotate(
            cp=FilteredRelation(
                "user__course_progress", condition=Q(user__course_progress__course=F("course"))
            )
        )
        .values(
            "user_id",
            "due_on",
            percent=Coalesce("cp__percent", 0),
            started=F("cp__id"),
            completed_at=F("cp__completed_at"),
        )
        .order_by()
    )
    by_person: dict[int, list[dict]] = {}
    for row in assignments:
        by_person.setdefault(row["user_id"], []).append(row)
    now = timezone.now()
    changed = []
    renamed: dict[int, set[str]] = {}
    for person in people:
        summary = summaries[person["id"]]
        mine = by_person.get(person["id"], [])
        open_dues = sorted(row["due_on"] for row in mine if row["completed_at"] is None)
        if (summary.full_name, summary.email) != (person["full_name"], person["email"]):
            renamed[person["id"]] = search_words(person["full_name"], person["email"])
        summary.full_name = person["full_name"]
        summary.email = person["email"]
        summary.is_active = person["is_active"]
        summary.department_id = person["department_id"]
        summary.assigned = len(mine)
        summary.completed = len(mine) - len(open_dues)
        summary.in_progress = sum(
            1 for row in mine if row["started"] is not None and row["completed_at"] is None
        )
        summary.completion = sum(row["percent"] for row in mine) / len(mine) if mine else None
        summary.no_assignments = not mine
        summary.next_due_on = open_dues[0] if open_dues else None
        summary.nothing_due = not open_dues
        summary.open_due_dates = [day.isoformat() for day in open_dues]
        summary.updated_at = now
        changed.append(summary)
    # One upsert (INSERT ... ON CONFLICT DO UPDATE): linear, where bulk_update's CASE per
    # field grows with the batch squared and made a 10,000-person import minutes long.
    LearningSummary.objects.bulk_create(
        changed,
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=FIELDS,
    )
    if renamed:
        SummaryWord.objects.filter(summary_id__in=renamed).delete()
        SummaryWord.objects.bulk_create(
            [
                SummaryWord(summary_id=pk, word=word)
                for pk, words in renamed.items()
                for word in words
            ],
            batch_size=2000,
        )
    return len(changed)


# The people search: words of names and addresses, folded, matched by their beginnings.
WORD_LENGTH = SummaryWord._meta.get_field("word").max_length
_NOT_WORD = re.compile(r"[^\w]+|_")


def fold(text: str) -> str:
    """Lower case without accents: "Wójcik" and "WOJCIK" both fold to "wojcik"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_words(*texts: str) -> set[str]:
    """The folded words of these texts ("maya.patel@example.com" gives maya, patel,
    example, com), each cut to the column's length."""
    return {word[:WORD_LENGTH] for text in texts for word in _NOT_WORD.split(fold(text)) if word}


def people_matching(query: str) -> list[QuerySet]:
    """For each word of the query, the ids of the people with a name or address word that
    starts with it; a person matches the query when they are in every one ("sam riv" finds
    Sam Rivera). No words (only punctuation) matches nobody."""
    terms = sorted(search_words(query))
    if not terms:
        return [SummaryWord.objects.none().values("summary_id")]
    return [
        SummaryWord.objects.filter(word__startswith=term).values("summary_id") for term in terms
    ]


def learning_summaries_refresh_for_courses(*, course_ids: Iterable[int]) -> int:
    """Recompute the summaries of everyone assigned one of these courses (after a course is
    retired or restored, which changes who counts it as live)."""
    ids = set(course_ids)
    if not ids:
        return 0
    return learning_summaries_refresh(
        user_ids=Assignment.objects.filter(course_id__in=ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


# Fields of a person the summary copies; a save that changes none of them needs no refresh.
PERSON_FIELDS = {"full_name", "email", "is_active", "department", "department_id"}


def person_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """Keep a person's copied fields in step when they are created or saved one at a time
    (the admin, sign-up, the tests' factories). Bulk writers call the service themselves."""
    if not created and update_fields is not None and not PERSON_FIELDS & set(update_fields):
        return
    learning_summaries_refresh(user_ids=[instance.pk])
