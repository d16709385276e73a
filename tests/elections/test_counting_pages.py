"""The counting page and the commission's counting panel (EL-15, EL-20)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from elections import rules
from elections.models import Election, PaperCount
from elections.services import counting
from portal.models import Role
from tests.academics.factories import make_staff
from tests.elections.counting_factories import (
    chair,
    closed_election,
    count_paper,
    issue_paper,
    members,
    registered,
    secretary,
    vote_online,
)
from tests.elections.factories import make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(election: Election) -> str:
    return f"/elections/{election.pk}/counting/"


def test_el15_counting_page_shows_tally_and_cross_check():
    election = closed_election()
    a, _b = registered(election)
    vote_online(election, a, 3)
    issue_paper(election, 4)
    response = _client(members(election)[0]).get(_url(election))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="results-table"' in body and 'id="cross-check"' in body and 'id="paper-count"' in body
    assert a.student.user.full_name in body
    assert response.context["results"].candidates[0].online == 3
    assert response.context["cross"].issued == 4 and response.context["cross"].found is None


def test_el20_counting_page_shows_nothing_before_18_00():
    """EL-20: during voting the page says when results come and shows no numbers."""
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2)
    response = _client(chair(election)).get(_url(election))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="not-closed"' in body and 'id="results-table"' not in body and "results" not in response.context


def test_el15_paper_count_entered_on_the_page_must_match():
    """EL-15: a form whose totals do not match shows the numbers and stores nothing; a matching one is saved."""
    election = closed_election()
    a, b = registered(election)
    issue_paper(election, 5)
    client = _client(secretary(election))
    data = {
        "ballots_found": 5,
        f"candidate_{a.pk}": 2,
        f"candidate_{b.pk}": 1,
        "invalid": 1,
        "unknown_form": 0,
        "explanation": "",
    }
    response = client.post(_url(election), data)
    assert response.status_code == 200
    assert "5" in str(next(iter(response.context["messages"]))) and not PaperCount.objects.exists()
    data[f"candidate_{b.pk}"] = 2
    response = client.post(_url(election), data)
    assert response.status_code == 302
    count = PaperCount.objects.get(election=election)
    assert (count.ballots_found, count.invalid, count.entered_by) == (5, 1, secretary(election))
    negative = client.post(_url(election), {**data, "invalid": -1})
    assert negative.status_code == 200 and PaperCount.objects.get().invalid == 1


def test_el15_discrepancy_is_shown_on_the_cross_check_panel():
    election = closed_election()
    a, b = registered(election)
    issue_paper(election, 3)
    counting.record_paper_count(
        chair(election), election, ballots_found=2, votes={a.pk: 1, b.pk: 1}, explanation="Біреуі бүлінген."
    )
    response = _client(chair(election)).get(_url(election))
    cross = response.context["cross"]
    assert (cross.issued, cross.found, cross.difference) == (3, 2, -1)
    assert "Біреуі бүлінген." in response.content.decode()


def test_el15_online_only_page_has_no_paper_form():
    election = closed_election(mode=Election.Mode.ONLINE)
    response = _client(chair(election)).get(_url(election))
    assert response.status_code == 200 and response.context["form"] is None
    assert 'id="paper-count"' not in response.content.decode()


def test_counting_page_is_403_for_non_members_and_nothing_changes():
    election = closed_election()
    a, b = registered(election)
    issue_paper(election, 1)
    data = {"ballots_found": 1, f"candidate_{a.pk}": 1, f"candidate_{b.pk}": 0, "invalid": 0, "unknown_form": 0}
    for user in (make_staff(Role.DESW_DIRECTOR), make_staff(Role.COMMISSION_CHAIR), make_student().user):
        client = _client(user)
        assert client.get(_url(election)).status_code == 403
        assert client.post(_url(election), data).status_code == 403
    assert not PaperCount.objects.exists()
    assert Client().get(_url(election)).status_code == 302


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _panel(response):
    return next(p for p in response.context["panels"] if p.template == "elections/panels/commission_counting.html")


def test_commission_panel_lists_counts_to_enter_and_signatures_missing():
    """The commission board: a paper count to enter, then signatures missing; the same number of queries for
    one election or four."""
    from elections.services import results

    first = closed_election()
    head = chair(first)
    client = _client(head)
    client.get("/dashboard/commission/")  # the first view stores the board in the session; later ones write nothing
    one = _queries(client, "/dashboard/commission/")
    others = [closed_election() for _ in range(3)]
    for other in others:
        other.commission.filter(role="chair").update(user=head)
    assert _queries(client, "/dashboard/commission/") == one
    body = client.get("/dashboard/commission/").content.decode()
    assert 'id="commission-counting"' in body and f'href="/elections/{first.pk}/counting/"' in body
    count_paper(first, [1, 0])
    results.draw_up_protocol(head, first)
    rows = {row.election.pk: row for row in _panel(client.get("/dashboard/commission/")).context["rows"]}
    assert (rows[first.pk].step, rows[first.pk].missing, rows[first.pk].mine) == ("sign", 4, True)
    assert rows[others[0].pk].step == "paper"
    results.sign_protocol(head, first)
    rows = {row.election.pk: row for row in _panel(client.get("/dashboard/commission/")).context["rows"]}
    assert (rows[first.pk].missing, rows[first.pk].mine) == (3, False)


def test_commission_panel_is_absent_during_voting():
    """EL-20: nothing to count before voting closes: no panel."""
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2)
    response = _client(chair(election)).get("/dashboard/commission/")
    assert all(p.template != "elections/panels/commission_counting.html" for p in response.context["panels"])
