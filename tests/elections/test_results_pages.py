"""The protocol page and the public results pages (EL-16, EL-17, EL-18, EL-20)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from elections import rules
from elections.models import Election, Mandate, Protocol, ProtocolSignature
from elections.services import results
from portal.models import Role
from tests.academics.factories import make_staff
from tests.elections.counting_factories import (
    candidate,
    chair,
    closed_election,
    count_paper,
    fast_pdf,  # noqa: F401  (a fixture)
    members,
    publish,
    registered,
    secretary,
    sign_all,
    vote_online,
)
from tests.elections.factories import make_election
from tests.factories import make_student

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _won(candidates: int = 2) -> Election:
    election = closed_election(candidates=candidates)
    first, *_ = registered(election)
    vote_online(election, first, 3)
    count_paper(election, [1] + [0] * (candidates - 1))
    return election


def test_el18_public_page_is_404_before_publication_and_open_after():
    """EL-18: before publication nobody, the commission included, sees the public page (404); after it,
    anyone without a login sees the results table, the winner, turnout and the protocol PDF."""
    election = _won()
    winner = registered(election)[0]
    url = f"/elections/{election.pk}/results/"
    assert Client().get(url).status_code == 404
    assert _client(chair(election)).get(url).status_code == 404
    results.draw_up_protocol(chair(election), election)
    sign_all(election)
    assert Client().get(url).status_code == 404
    results.publish_results(chair(election), election)
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="results-table"' in body and 'id="turnout"' in body and 'id="protocol-link"' in body
    assert winner.student.user.full_name in body and 'id="mandate"' in body
    assert 'id="runoff-rule"' in body
    pdf = Client().get(f"/elections/{election.pk}/protocol.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


@pytest.mark.usefixtures("fast_pdf")
def test_el18_public_list_shows_only_published_elections_in_fixed_queries():
    """EL-18: the public list needs no login and shows published elections only; its number of queries does
    not grow with the number of elections."""
    unpublished = _won()
    client = Client()
    assert client.get("/elections/results/").status_code == 200
    first = _won()
    publish(first)
    one = _queries(client, "/elections/results/")
    for _ in range(3):
        publish(_won())
    assert _queries(client, "/elections/results/") == one
    body = client.get("/elections/results/").content.decode()
    assert f"/elections/{first.pk}/results/" in body and f"/elections/{unpublished.pk}/results/" not in body


@pytest.mark.usefixtures("fast_pdf")
def test_el18_results_page_queries_do_not_grow_with_candidates():
    small = _won(candidates=2)
    publish(small)
    big = _won(candidates=5)
    publish(big)
    client = Client()
    assert _queries(client, f"/elections/{small.pk}/results/") == _queries(client, f"/elections/{big.pk}/results/")


def test_el16_protocol_pdf_is_for_the_commission_before_publication():
    election = _won()
    results.draw_up_protocol(chair(election), election)
    url = f"/elections/{election.pk}/protocol.pdf"
    assert Client().get(url).status_code == 302
    assert _client(make_staff(Role.DESW_DIRECTOR)).get(url).status_code == 403
    assert _client(members(election)[0]).get(url).status_code == 200


@pytest.mark.usefixtures("fast_pdf")
def test_el16_protocol_page_draw_up_sign_and_publish():
    """EL-16, EL-18: the secretary draws up, every member signs, the chair publishes, all on the page."""
    election = _won()
    base = f"/elections/{election.pk}"
    writer = _client(secretary(election))
    page = writer.get(f"{base}/protocol/")
    assert page.status_code == 200 and page.context["can_draw_up"]
    assert writer.post(f"{base}/protocol/draw-up/").status_code == 302
    assert Protocol.objects.filter(election=election).exists()
    for user in [chair(election), secretary(election), *members(election)]:
        client = _client(user)
        assert client.get(f"{base}/protocol/").context["can_sign"]
        client.post(f"{base}/protocol/sign/")
        again = client.post(f"{base}/protocol/sign/", follow=True)
        assert again.status_code == 200 and not again.context["can_sign"]
    assert ProtocolSignature.objects.count() == 4
    election.refresh_from_db()
    assert election.phase == "PROTOCOL_SIGNED"
    head = _client(chair(election))
    assert head.get(f"{base}/protocol/").context["can_publish"]
    head.post(f"{base}/publish/")
    election.refresh_from_db()
    assert election.phase == "PUBLISHED" and Mandate.objects.filter(election=election).exists()


def test_el20_protocol_page_shows_nothing_before_18_00():
    election = make_election(phase=rules.Phase.CAMPAIGN, candidates=2)
    response = _client(chair(election)).get(f"/elections/{election.pk}/protocol/")
    assert response.status_code == 200 and 'id="not-closed"' in response.content.decode()
    assert "results" not in response.context
    assert Client().get(f"/elections/{election.pk}/results/").status_code == 404


def test_protocol_pages_are_403_for_non_members_and_nothing_changes():
    election = _won()
    base = f"/elections/{election.pk}"
    for user in (make_staff(Role.DESW_DIRECTOR), make_student().user, make_staff(Role.COMMISSION_CHAIR)):
        client = _client(user)
        assert client.get(f"{base}/protocol/").status_code == 403
        for action in ("protocol/draw-up/", "protocol/sign/", "publish/", "runoff/"):
            assert client.post(f"{base}/{action}", {"election_day": "2027-01-05"}).status_code == 403
    assert not Protocol.objects.exists()
    assert Client().get(f"{base}/protocol/").status_code == 302


@pytest.mark.usefixtures("fast_pdf")
def test_el17_tie_is_shown_and_the_runoff_called_on_the_page():
    """EL-17: after a tie the protocol page offers the run-off with its default day, and the public page
    shows the run-off and the rule."""
    election = closed_election(candidates=2)
    a, b = registered(election)
    candidate(election, "Темірова", "Сара")  # a third candidate with no votes stays out of the run-off
    vote_online(election, a, 2)
    vote_online(election, b, 1)
    count_paper(election, [0, 1, 0])
    results.draw_up_protocol(chair(election), election)
    sign_all(election)
    client = _client(chair(election))
    form = client.get(f"/elections/{election.pk}/protocol/").context["runoff_form"]
    day = form.initial["election_day"]
    assert day.weekday() < 5
    client.post(f"/elections/{election.pk}/runoff/", {"election_day": day.isoformat()})
    new = Election.objects.get(runoff_of=election)
    assert new.election_day == day
    assert set(new.candidates.values_list("student_id", flat=True)) == {a.student_id, b.student_id}
    client.post(f"/elections/{election.pk}/publish/")
    body = Client().get(f"/elections/{election.pk}/results/").content.decode()
    assert 'id="runoff-rule"' in body and day.strftime("%d.%m.%Y") in body
