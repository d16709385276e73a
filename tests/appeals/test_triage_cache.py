"""AP-09: the triage list is kept rendered per institute version (appeals/triage_cache.py); every change to
the institute's cases or their handlers, made through the services or the single-statement filing, raises
the version in its own transaction, so the next page shows it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals import triage_cache
from appeals.models import Assignment, Body, TriageVersion
from appeals.services import workflow
from tests.appeals.factories import file_case, make_school
from tests.appeals.test_triage import URL, client_for, numbers, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return make_school("IT")


def _version(school) -> int:
    return TriageVersion.objects.get(institute=school.institute).version


def test_ap09_a_kept_list_costs_no_list_queries(school):
    """The second view of the same list reads the versions and takes the kept list: the counts, the page,
    its handlers and the calendar are not read again."""
    file_case(school.student.user, timezone.localtime())
    client = client_for(school.dean)
    client.get(URL)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(URL).content.decode()  # kept by the warm-up above: a hit
    from django.core.cache import caches

    caches[triage_cache.CACHE].clear()
    with CaptureQueriesContext(connection) as rendered:
        second = client.get(URL).content.decode()
    assert numbers(first) == numbers(second) and len(numbers(first)) == 1
    assert len(cold.captured_queries) <= len(rendered.captured_queries) - 4
    assert not any("appeals_application" in q["sql"] for q in cold.captured_queries)


def test_ap09_filing_routing_and_assigning_raise_the_version_and_show_at_once(school):
    """AP-09: a new filing, a routing and a new handler each raise the institute's version in their own
    transaction; the dean's next view shows them, the kept list notwithstanding."""
    school.teacher.last_name = "Мұқанов"  # not the applicant's name
    school.teacher.save()
    client = client_for(school.dean)
    first = file_case(school.student.user, timezone.localtime())
    start = _version(school)
    assert numbers(client.get(URL).content.decode()) == [first.number]
    second = file_case(school.student.user, timezone.localtime())
    assert _version(school) > start
    page = client.get(URL).content.decode()
    assert sorted(numbers(page)) == sorted([first.number, second.number])
    workflow.route(school.dean, second, Body.DEANS_COUNCIL, [school.teacher])
    page = client.get(URL).content.decode()
    assert "Мұқанов" in row(page, second.number)
    before = _version(school)
    Assignment.objects.filter(application=second).delete()
    assert _version(school) == before + 1
    assert "Мұқанов" not in row(client.get(URL).content.decode(), second.number)


def test_ap09_each_institute_language_day_and_query_has_its_own_list(school):
    """Lists are kept apart by what they show: another filter, page or language is rendered for itself."""
    file_case(school.student.user, timezone.localtime())
    english = client_for(school.dean).get(URL).content.decode()
    russian = client_for(school.dean, "ru").get(URL).content.decode()
    assert english != russian and "Applications to consider" in english
    filtered = client_for(school.dean).get(URL, {"kind": "proposal"}).content.decode()
    assert numbers(filtered) == [] and len(numbers(english)) == 1
    other = make_school("EC")
    assert numbers(client_for(other.dean).get(URL).content.decode()) == []
