"""The gallery, the profile, home's progress card and the celebration toasts."""

import re

import pytest
from django.urls import reverse

from learning import services
from learning.models import BadgeAward
from learning.recognition.badges import BADGES, REGISTRY
from learning.recognition.rewards import LEVELS
from tests.learning.builders import build_module
from tests.recognition.factories import (
    BadgeAwardFactory,
    CertificateFactory,
    CourseProgressFactory,
    XpEventFactory,
    stats_with_streak,
)
from tests.recognition.helpers import at_most

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _read_first_lesson(user):
    module = build_module(lessons=2)
    services.lesson_complete(user=user, lesson=module.lessons.first())


# The gallery ----------------------------------------------------------------------------------


def test_gallery_shows_earned_badges_and_progress_toward_the_rest(client_for, employee):
    _read_first_lesson(employee)
    text = client_for(employee).get(reverse("recognition:badge-list")).text
    assert text.count("<h1") == 1
    assert f"earned <strong>1 of {len(BADGES)}</strong>" in text
    earned = text.split('id="earned-heading"')[1].split('id="to-earn-heading"')[0]
    assert "First lesson" in earned and "Earned" in earned and "New" in earned
    assert reverse("recognition:badge-credential", args=["first-lesson"]) in earned
    to_earn = text.split('id="to-earn-heading"')[1]
    assert "First lesson" not in to_earn
    for badge in BADGES[1:]:
        assert badge.criteria.replace("“", "&ldquo;")[:20] in to_earn or badge.name in to_earn
    assert "0 of 5 commitments" in to_earn
    assert 'aria-label="Progress toward Ally in action: 0 of 5 commitments"' in to_earn
    assert text.count('role="img"') == len(BADGES)


def test_gallery_icons_say_when_a_badge_is_not_earned_yet(client_for, employee):
    text = client_for(employee).get(reverse("recognition:badge-list")).text
    assert 'aria-label="First lesson badge (not yet earned)"' not in text
    assert 'aria-label="First lesson badge (not earned yet)"' in text
    assert "Not earned yet" in text  # in words too, not only the grey icon


# The profile ----------------------------------------------------------------------------------


def test_profile_shows_level_progress_streaks_courses_and_certificates(client_for, employee):
    XpEventFactory(user=employee, amount=200, reason="A big step")
    services_stats = stats_with_streak(employee, current=2, longest=5)
    services_stats.xp_total = 200
    services_stats.save()
    progress = CourseProgressFactory(user=employee, completed=True)
    CertificateFactory(user=employee, course=progress.course)
    text = client_for(employee).get(reverse("recognition:profile")).text
    assert "Level 2: Learner" in text
    assert "Advocate at 400 XP (200 XP to go)" in text
    assert 'aria-label="Progress to level 3, Advocate: 20%"' in text
    assert "2 weeks" in text and "5 weeks" in text
    assert progress.course.title in text
    assert reverse("recognition:certificate-detail", args=[progress.course.slug]) in text
    assert reverse("recognition:certificate-pdf", args=[progress.course.slug]) in text
    assert "A big step" in text
    for level in LEVELS:
        assert level.name in text


def test_profile_pages_the_xp_history(client_for, employee):
    for n in range(25):
        XpEventFactory(user=employee, reason=f"Reason number {n:02d}")
    client = client_for(employee)
    first = client.get(reverse("recognition:profile")).text
    second = client.get(reverse("recognition:profile"), {"page": 2}).text
    assert "Reason number 24" in first and "Reason number 04" not in first
    assert "Reason number 04" in second and "Reason number 24" not in second
    assert "Page 2 of 2" in second


def test_profile_at_the_highest_level(client_for, employee):
    stats = stats_with_streak(employee, current=0)
    stats.xp_total = 5000
    stats.save()
    text = client_for(employee).get(reverse("recognition:profile")).text
    assert "Level 5: Champion" in text and "highest level" in text


# Home ---------------------------------------------------------------------------------------


def test_home_shows_recent_badges_with_icons_and_links(client_for, employee):
    _read_first_lesson(employee)
    text = client_for(employee).get(reverse("learning:home")).text
    assert 'aria-label="First lesson badge"' in text
    assert reverse("recognition:badge-list") + "#badge-first-lesson" in text
    assert reverse("recognition:profile") in text


def test_navigation_offers_badges(client_for, employee):
    text = client_for(employee).get(reverse("recognition:badge-list")).text
    assert re.search(r'<a href="/badges/" aria-current="page">Badges</a>', text)


# Toasts -------------------------------------------------------------------------------------


def test_every_signed_in_page_asks_for_toasts_in_the_live_region(client_for, client, employee):
    text = client_for(employee).get(reverse("learning:home")).text
    region = re.search(r'<div id="toasts"[^>]*>', text).group(0)
    assert 'aria-live="polite"' in region
    assert f'hx-get="{reverse("recognition:toasts")}"' in region
    assert 'hx-trigger="load, allyship:earned from:body"' in region
    client.logout()
    login = client.get(reverse("login")).text
    assert "hx-get" not in re.search(r'<div id="toasts"[^>]*>', login).group(0)


def test_toasts_celebrate_unseen_awards_without_changing_anything(client_for, employee):
    _read_first_lesson(employee)
    client = client_for(employee)
    for _ in range(2):
        response = client.get(reverse("recognition:toasts"), headers=HTMX)
        assert response.status_code == 200
        assert "Badge earned: First lesson" in response.text
        assert 'type="submit">Dismiss' in response.text
        assert "no-cache" in response["Cache-Control"]
    assert BadgeAward.objects.get(user=employee).seen is False


def test_dismissing_a_toast_by_htmx_marks_it_seen_and_returns_the_rest(client_for, employee):
    first = BadgeAwardFactory(user=employee, badge="first-lesson")
    BadgeAwardFactory(user=employee, badge="first-module")
    client = client_for(employee)
    response = client.post(reverse("recognition:toast-dismiss"), {"award": first.pk}, headers=HTMX)
    assert response.status_code == 200
    assert "Badge earned: Module complete" in response.text
    assert "Badge earned: First lesson" not in response.text
    first.refresh_from_db()
    assert first.seen is True


def test_dismissing_without_javascript_returns_to_the_page(client_for, employee):
    award = BadgeAwardFactory(user=employee)
    response = client_for(employee).post(
        reverse("recognition:toast-dismiss"), {"award": award.pk, "next": "/learn/"}
    )
    assert response.status_code == 302 and response["Location"] == "/learn/"
    elsewhere = client_for(employee).post(
        reverse("recognition:toast-dismiss"), {"award": award.pk, "next": "https://evil.test/"}
    )
    assert elsewhere["Location"] == reverse("recognition:badge-list")


def test_nobody_can_dismiss_someone_elses_toast(client_for, employee, manager):
    award = BadgeAwardFactory(user=employee)
    client_for(manager).post(reverse("recognition:toast-dismiss"), {"award": award.pk})
    award.refresh_from_db()
    assert award.seen is False


def test_dismissing_needs_a_post(client_for, employee):
    response = client_for(employee).get(reverse("recognition:toast-dismiss"))
    assert response.status_code == 405


def test_several_new_badges_share_one_toast_dismissed_together(client_for, employee):
    first = BadgeAwardFactory(user=employee, badge="first-lesson")
    second = BadgeAwardFactory(user=employee, badge="first-module")
    client = client_for(employee)
    text = client.get(reverse("recognition:toasts"), headers=HTMX).text
    assert text.count('class="toast"') == 1
    assert "New badges: Module complete and First lesson" in text
    response = client.post(
        reverse("recognition:toast-dismiss"), {"award": [first.pk, second.pk]}, headers=HTMX
    )
    assert "New badges" not in response.text
    assert not BadgeAward.objects.filter(user=employee, seen=False).exists()


def test_many_new_badges_are_summed_up_and_can_all_be_dismissed(client_for, employee):
    for badge in BADGES[:7]:
        BadgeAwardFactory(user=employee, badge=badge.slug)
    client = client_for(employee)
    text = client.get(reverse("recognition:toasts"), headers=HTMX).text
    assert text.count('class="toast"') == 1 and "and more</p>" in text
    assert 'name="all"' in text
    response = client.post(reverse("recognition:toast-dismiss"), {"all": "1"}, headers=HTMX)
    assert "New badges" not in response.text
    assert not BadgeAward.objects.filter(user=employee, seen=False).exists()


def test_a_level_up_is_celebrated_once_per_session_until_dismissed(client_for, employee):
    client = client_for(employee)
    assert "Level up" not in client.get(reverse("recognition:toasts")).text  # the baseline
    XpEventFactory(user=employee, amount=150)
    stats = stats_with_streak(employee, current=1)
    stats.xp_total = 150
    stats.save()
    assert "Level up: level 2, Learner" in client.get(reverse("recognition:toasts")).text
    response = client.post(reverse("recognition:toast-dismiss"), {"level": "2"}, headers=HTMX)
    assert "Level up" not in response.text
    assert "Level up" not in client.get(reverse("recognition:toasts")).text


def test_a_retired_badge_award_is_never_shown(client_for, employee):
    BadgeAwardFactory(user=employee, badge="no-longer-in-the-registry")
    client = client_for(employee)
    assert "Badge earned" not in client.get(reverse("recognition:toasts")).text
    assert client.get(reverse("recognition:badge-list")).status_code == 200
    assert client.get(reverse("learning:home")).status_code == 200


# Constant queries -----------------------------------------------------------------------------


def _grow(user, size: int) -> None:
    """History that pages show: XP, completed courses with certificates, a team's assignments.

    The same badges at every size: which badges are earned changes which facts the gallery
    reads (a bounded set), while the size of the history must change nothing.
    """
    from tests.factories import UserFactory
    from tests.recognition.factories import AssignmentFactory

    for _ in range(size):
        XpEventFactory(user=user)
        progress = CourseProgressFactory(user=user, completed=True)
        CertificateFactory(user=user, course=progress.course)
        for person in [user, *UserFactory.create_batch(5, manager=user.manager)]:
            AssignmentFactory(user=person, course=progress.course)
    for badge in BADGES[:3]:
        BadgeAwardFactory(user=user, badge=badge.slug, seen=size > 1)


# At most this many queries, at any size (the gallery's bound is for a newcomer, who has
# every badge's facts to read).
PAGES = {
    "learning:home": 16,
    "recognition:badge-list": 15,
    "recognition:profile": 12,
    "recognition:toasts": 10,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_cost_the_same_queries_at_two_data_sizes(client, name):
    from tests.factories import UserFactory

    # Two teams, so neither page finds the other's team goals in the shared cache.
    small, large = UserFactory(manager=UserFactory()), UserFactory(manager=UserFactory())
    _grow(small, 1)
    _grow(large, 4)
    counts = []
    for user in (small, large):
        client.force_login(user)
        with at_most(PAGES[name]) as context:
            assert client.get(reverse(name)).status_code == 200
        counts.append(context)
    listing = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(counts[1].captured_queries, 1))
    assert len(counts[0]) == len(counts[1]), f"{len(counts[0])} vs {len(counts[1])}:\n{listing}"


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("size", [0, 4])
def test_page_query_count_is_bounded(client, django_assert_max_num_queries, name, size):
    from tests.factories import UserFactory

    user = UserFactory(manager=UserFactory())
    if size:
        _grow(user, size)
    client.force_login(user)
    with django_assert_max_num_queries(PAGES[name]):
        assert client.get(reverse(name)).status_code == 200


def test_registry_slugs_all_appear_in_the_gallery(client_for, employee):
    text = client_for(employee).get(reverse("recognition:badge-list")).text
    for slug in REGISTRY:
        assert f'id="badge-{slug}"' in text


def test_a_signed_out_toasts_request_gets_no_content_not_the_sign_in_page(client):
    response = client.get(reverse("recognition:toasts"), headers=HTMX)
    assert response.status_code == 204 and response.content == b""


def test_dismissing_ignores_values_that_are_not_award_ids(client_for, employee):
    award = BadgeAwardFactory(user=employee)
    response = client_for(employee).post(
        reverse("recognition:toast-dismiss"), {"award": ["²", "x", ""]}, headers=HTMX
    )
    assert response.status_code == 200
    award.refresh_from_db()
    assert award.seen is False
