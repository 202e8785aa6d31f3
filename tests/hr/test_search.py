"""The people search: the beginnings of the words of names and addresses, through an index."""

import pytest
from django.urls import reverse

from learning.models import SummaryWord
from learning.summaries import learning_summaries_refresh_all, search_words
from tests.factories import UserFactory
from tests.hr.factories import bulk_team
from tests.queries import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def _found(hr_client, query: str, **extra) -> set[str]:
    response = hr_client.get(reverse("hr:people"), {"q": query, **extra})
    assert response.status_code == 200
    return {row["full_name"] for row in response.context["page"].object_list}


def test_words_are_folded_and_split_on_punctuation():
    assert search_words("Zoë Wójcik-Ng", "Zoe.W_N@Example.COM") == {
        "zoe",
        "wojcik",
        "ng",
        "w",
        "n",
        "example",
        "com",
    }
    assert search_words("  ", "--") == set()


def test_a_term_matches_the_start_of_any_word_of_the_name_or_address(hr_client):
    UserFactory(full_name="Sam Rivera", email="sam.rivera@test.example")
    UserFactory(full_name="Samira Okafor", email="s.okafor@test.example")
    UserFactory(full_name="Ines Duarte", email="ines@sampling.example")
    UserFactory(full_name="Kari Osam", email="kari@test.example")
    assert _found(hr_client, "sam") == {"Sam Rivera", "Samira Okafor", "Ines Duarte"}
    # Inside a word is not a match: "Osam" does not start with "sam".
    assert _found(hr_client, "SAM riv") == {"Sam Rivera"}
    assert _found(hr_client, "riv sam") == {"Sam Rivera"}
    assert _found(hr_client, "okafor") == {"Samira Okafor"}
    assert _found(hr_client, "s.okafor@test.example") == {"Samira Okafor"}


def test_accents_and_case_do_not_matter(hr_client):
    UserFactory(full_name="Zoë Wójcik")
    assert _found(hr_client, "WOJC") == {"Zoë Wójcik"}
    assert _found(hr_client, "zoë") == {"Zoë Wójcik"}


def test_a_query_of_only_punctuation_finds_nobody(hr_client):
    UserFactory(full_name="Amy Adams")
    response = hr_client.get(reverse("hr:people"), {"q": "%_*"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_renaming_someone_moves_their_words(hr_client):
    person = UserFactory(full_name="Amy Adams", email="amy@test.example")
    person.full_name = "Amy Brennan"
    person.email = "brennan@test.example"
    person.save()
    assert _found(hr_client, "adams") == set()
    assert _found(hr_client, "amy") == {"Amy Brennan"}
    assert _found(hr_client, "brennan") == {"Amy Brennan"}
    assert set(SummaryWord.objects.filter(summary__user=person).values_list("word", flat=True)) == {
        "amy",
        "brennan",
        "test",
        "example",
    }


def test_a_refresh_that_changes_no_name_writes_no_words(hr_client, course):
    person = UserFactory(full_name="Amy Adams")
    before = list(SummaryWord.objects.filter(summary__user=person).values_list("pk", flat=True))
    person.is_staff = True
    person.save()
    after = list(SummaryWord.objects.filter(summary__user=person).values_list("pk", flat=True))
    assert before and before == after


def test_the_course_filter_searches_by_the_same_rule(hr_client, course):
    people = bulk_team(3, course=course)
    people[0].full_name = "Zed Zimmer"
    people[0].save()
    assert _found(hr_client, "zim", course=course.pk) == {"Zed Zimmer"}
    assert _found(hr_client, "imm", course=course.pk) == set()


def test_only_active_people_are_found(hr_client):
    UserFactory(full_name="Lee Gone", is_active=False)
    UserFactory(full_name="Lee Here")
    assert _found(hr_client, "lee") == {"Lee Here"}


@pytest.mark.parametrize("size", [5, 60])
def test_a_search_costs_the_same_queries_at_any_size(hr_client, size):
    bulk_team(size)
    learning_summaries_refresh_all()
    hr_client.get(reverse("hr:people"), {"q": "bulk"})  # the session and caches warmed
    # The user, the count, the page, its people, their assignments, the form's two lists.
    with queries(7):
        response = hr_client.get(reverse("hr:people"), {"q": "bulk person"})
    assert response.context["page"].paginator.count == size
