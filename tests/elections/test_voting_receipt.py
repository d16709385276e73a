"""EL-14: the public receipt check: says only whether a ballot with the code is in the count, and is
throttled per address so that codes cannot be enumerated."""

import pytest
from django.db import connection
from django.test import Client

from elections.models import Ballot
from elections.services import receipts, voting
from tests.elections.factories import at
from tests.elections.voting_support import DAY, freeze, set_clock, shown, voter, voting_election

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.23"


@pytest.fixture
def cast_receipt(monkeypatch):
    set_clock(monkeypatch, at(DAY, 10))
    election = voting_election(candidates=2)
    student = voter()
    freeze(election)
    receipt = voting.cast_ballot(student.user, election, str(voting.ballot_choices(election)[0].pk), at(DAY, 10))
    return election, receipt


def _check(election, code: str, address: str = ADDRESS):
    return Client(REMOTE_ADDR=address).post(f"/elections/{election.pk}/receipt/", {"code": code})


def test_el14_receipt_in_the_count_is_confirmed_without_login_and_without_the_choice(cast_receipt):
    election, receipt = cast_receipt
    response = _check(election, receipt)
    assert response.status_code == 200 and 'id="receipt-found"' in response.content.decode()
    assert shown(response, "A ballot with this code is in the count.")
    candidate = Ballot.objects.get(receipt=receipt).candidate
    assert candidate is not None and candidate.student.user.full_name not in response.content.decode()
    # Typed without dashes and in lower case, the code is still found.
    assert 'id="receipt-found"' in _check(election, receipt.replace("-", "").lower()).content.decode()


def test_el14_unknown_receipt_is_not_found(cast_receipt):
    election, _receipt = cast_receipt
    response = _check(election, "AAAA-BBBB-CCCC")
    assert 'id="receipt-missing"' in response.content.decode() and 'id="receipt-found"' not in response.content.decode()


def test_el14_a_receipt_is_checked_only_in_its_own_election(cast_receipt):
    _election, receipt = cast_receipt
    other = voting_election(candidates=2)
    assert 'id="receipt-missing"' in _check(other, receipt).content.decode()


def test_el14_receipt_checks_are_throttled_per_address_so_codes_cannot_be_enumerated(cast_receipt):
    """After FAILED_CHECKS_ALLOWED codes not found, the address is refused (429), a real code included;
    another address is not affected, and found codes never count against an address."""
    election, receipt = cast_receipt
    for _ in range(5):
        assert 'id="receipt-found"' in _check(election, receipt).content.decode()
    for n in range(receipts.FAILED_CHECKS_ALLOWED):
        assert _check(election, f"AAAA-BBBB-{n:04d}").status_code == 200
    blocked = _check(election, receipt)
    assert blocked.status_code == 429 and 'id="receipt-found"' not in blocked.content.decode()
    assert 'id="receipt-found"' in _check(election, receipt, address="198.51.100.99").content.decode()


def test_el14_the_throttle_keeps_no_address_in_the_database(cast_receipt):
    """The counter's key is a keyed hash: the address itself is stored nowhere, the cache table included."""
    election, _receipt = cast_receipt
    _check(election, "AAAA-BBBB-CCCC")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM portal_cache")
        rows = cursor.fetchall()
    assert rows and all(ADDRESS not in f"{key} {value}" for key, value in rows)


def test_receipt_page_of_an_unpublished_election_is_404():
    election = voting_election(candidates=0, phase=voting.rules.Phase.DRAFT)
    assert Client().get(f"/elections/{election.pk}/receipt/").status_code == 404


def test_empty_receipt_code_is_asked_for_again(cast_receipt):
    election, _receipt = cast_receipt
    response = _check(election, "   ")
    assert response.status_code == 200
    assert 'id="receipt-found"' not in response.content.decode()
    assert 'id="receipt-missing"' not in response.content.decode()
