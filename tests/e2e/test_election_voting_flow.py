"""A student votes online in Chromium, in Kazakh, and checks the receipt on the public page; a commission
member issues a paper ballot to another student from the poll book (EL-07, EL-12, EL-13, EL-14)."""

import pytest

from elections.models import Ballot, Participation
from elections.services import voting
from tests.elections.factories import add_candidate, at
from tests.elections.voting_support import DAY, member, set_clock, voter, voting_election
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()


def test_student_votes_and_checks_the_receipt_and_the_commission_issues_a_paper_ballot(
    live_server, browser, artifacts, monkeypatch
):
    set_clock(monkeypatch, at(DAY, 10, 30))
    election = voting_election(candidates=0)
    for surname, first_name in (("Бекова", "Аружан"), ("Әбенов", "Нұрлан"), ("Аманов", "Дәулет")):
        add_candidate(
            election,
            voter(user__last_name=surname, user__first_name=first_name, user__patronymic="", year_of_study=3),
            standard_info=f"{surname} {first_name}: 3-курс, студенттік кеңес мүшесі.",
        )
    student = voter(user__last_name="Сайлаушыбаев", user__first_name="Ерасыл")
    paper_voter = voter(user__last_name="Қағазбекова", user__first_name="Мөлдір", id_card_number="043512345")
    base = live_server.url

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()
    _sign_in(page, base, student.user.id_code)
    page.click("#vote-button")
    page.wait_for_url(f"{base}/elections/{election.pk}/ballot/")
    assert page.locator("html").get_attribute("lang") == "kk"
    names = page.locator(".candidate-name").all_inner_texts()
    assert [n.split()[0] for n in names] == ["Аманов", "Әбенов", "Бекова"]  # EL-13
    page.screenshot(path=str(artifacts / "70-ballot-kk.png"), full_page=True)

    page.click("label[for^=choice-] >> text=Әбенов Нұрлан")
    page.click("#ballot-next")
    assert page.inner_text("#chosen") == "Әбенов Нұрлан"
    page.screenshot(path=str(artifacts / "71-ballot-confirm-kk.png"), full_page=True)
    page.click("#cast-ballot")
    page.wait_for_load_state()
    receipt = page.inner_text("#receipt-code").strip()
    assert Ballot.objects.get(election=election).receipt == receipt
    assert receipt not in page.url
    page.screenshot(path=str(artifacts / "72-ballot-receipt-kk.png"), full_page=True)

    page.click("#receipt-check-link")
    page.fill("#id_code", receipt.lower().replace("-", ""))
    page.click("#receipt-submit")
    page.wait_for_selector("#receipt-found")
    page.screenshot(path=str(artifacts / "73-receipt-check-kk.png"), full_page=True)
    page.goto(f"{base}/elections/{election.pk}/ballot/")
    assert page.locator("#ballot-voted").is_visible() and page.locator("#ballot-form").count() == 0
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()
    _sign_in(page, base, member(election).id_code)
    page.click(f"a[href='/elections/{election.pk}/pollbook/']")
    page.fill("input[name=q]", "043512345")
    page.click("#pollbook-search")
    page.wait_for_selector(f"tr[data-student='{paper_voter.pk}']")
    row = page.locator(f"tr[data-student='{paper_voter.pk}']")
    assert row.locator("input[name=id_document]").input_value() == "043512345"
    page.screenshot(path=str(artifacts / "74-pollbook-kk.png"), full_page=True)
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#sign-sheet")
    assert "Қағазбекова Мөлдір" in page.inner_text("#sign-name")
    assert page.inner_text("#sign-document") == "043512345"
    page.screenshot(path=str(artifacts / "75-pollbook-signature-line-kk.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "76-pollbook-signature-line-print-kk.png"), full_page=True)
    page.emulate_media(media="screen")
    participation = Participation.objects.get(election=election, student=paper_voter)
    assert participation.channel == "paper" and participation.recorded_by == member(election)

    # The online voter shows as such in the poll book, with no way to issue a paper ballot.
    page.goto(f"{base}/elections/{election.pk}/pollbook/?q={student.user.id_code}")
    assert page.locator(f"tr[data-student='{student.pk}'] .issue-form").count() == 0
    page.goto(f"{base}/elections/{election.pk}/turnout/")
    assert page.inner_text("#turnout-online") == "1" and page.inner_text("#turnout-paper") == "1"
    for candidate in voting.ballot_choices(election):
        assert candidate.student.user.last_name not in page.inner_text("main")
    page.screenshot(path=str(artifacts / "77-turnout-kk.png"), full_page=True)
    context.close()
