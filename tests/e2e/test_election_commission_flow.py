"""The commission counts an election whose voting closed yesterday, in Chromium, in Kazakh: the secretary
sees the online tally and enters the paper count (a wrong total, then an unexplained discrepancy are
refused and store nothing; the explained count is saved), draws up the protocol; every member signs it in
the portal, signing in in turn; the chair publishes; an anonymous visitor opens the public results and
downloads the protocol PDF, whose two originals carry the candidates' votes (EL-15 to EL-18)."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from elections import rules
from elections.models import Ballot, Election, Mandate, PaperCount, Participation, Protocol, ProtocolSignature
from elections.services import calendar, pollbook, voting
from portal.models import StudentProfile, User
from tests.e2e.helpers import kk, kk_plural, sign_in, text_of
from tests.elections.factories import add_candidate, at, make_election
from tests.factories import make_student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CANDIDATES = ("Бекова Айгерім", "Әлиев Дәурен", "Жанова Ұлжан")
ONLINE = {"Бекова Айгерім": 4, "Әлиев Дәурен": 2, "Жанова Ұлжан": 1}
PAPER = {"Бекова Айгерім": 2, "Әлиев Дәурен": 3, "Жанова Ұлжан": 0}
PAPER_ISSUED = 6
INVALID, UNKNOWN_FORM = 1, 1  # found in the box: 2 + 3 + 0 + 1 + 1 = 7, one more than issued
ABSTAINERS = 3
EXPLANATION = "Бір сайлаушы бюллетень алып, тізімге қол қоюды ұмытқан; комиссия актісі жасалды."
COMMISSION = ("Төрағаев Марат", "Хатшыева Гүлнар", "Мүшеков Арман", "Қасымова Дина")


def _person(user: User, name: str) -> User:
    user.last_name, user.first_name = name.split()
    user.patronymic = ""
    user.save(update_fields=["last_name", "first_name", "patronymic"])
    return user


def _closed_election() -> tuple[Election, dict[str, int]]:
    """Yesterday's election, run through the services with the clock inside voting hours: the roll frozen
    at 09:00, online ballots cast, paper ballots issued from the poll book after the ID card check. The
    stored phase is still "voting": the real clock (after 18:00 yesterday) brings counting."""
    day = timezone.localdate() - timedelta(days=1)
    election = make_election(phase=rules.Phase.CAMPAIGN, election_day=day, members=2)
    commission = [election.test_chair, election.test_secretary, *election.test_members]  # type: ignore[attr-defined]
    for user, name in zip(commission, COMMISSION, strict=True):
        _person(user, name)
    ids = {}
    for name in CANDIDATES:
        last, first = name.split()
        student = make_student(year_of_study=3, user__last_name=last, user__first_name=first, user__patronymic="")
        ids[name] = add_candidate(election, student, standard_info=f"{name}: 3-курс.").pk
    online = [(make_student(), name) for name, n in ONLINE.items() for _ in range(n)]
    paper = [make_student(id_card_number=f"0435{i:05d}") for i in range(PAPER_ISSUED)]
    for _ in range(ABSTAINERS):
        make_student()
    calendar.sync_phase(election, at(day, 9))  # voting opens: the roll is frozen
    election.refresh_from_db()
    for minute, (student, name) in enumerate(online):
        voting.cast_ballot(student.user, election, str(ids[name]), at(day, 10, minute))
    issuer = election.test_members[0]  # type: ignore[attr-defined]
    for minute, student in enumerate(paper):
        pollbook.issue_paper_ballot(issuer, election, student, student.id_card_number, at(day, 11, minute))
    election.refresh_from_db()
    assert election.phase == rules.Phase.VOTING.name
    assert Ballot.objects.filter(election=election).count() == sum(ONLINE.values())
    assert Participation.objects.filter(election=election, channel="paper").count() == PAPER_ISSUED
    return election, ids


def _cells(page, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]


def _results_rows(page) -> dict[str, list[str]]:
    """The results table: candidate name -> the numbers of its row (online, paper, total)."""
    rows = {}
    for row in page.locator("#results-table tbody tr").all():
        cells = [" ".join(c.split()) for c in row.locator("td").all_inner_texts()]
        name = next(n for n in CANDIDATES if n in cells[1])
        rows[name] = cells[2:]
    return rows


def _fill_paper_count(page, ids: dict[str, int], found: int, explanation: str = "") -> None:
    page.fill("#id_ballots_found", str(found))
    for name, n in PAPER.items():
        page.fill(f"#id_candidate_{ids[name]}", str(n))
    page.fill("#id_invalid", str(INVALID))
    page.fill("#id_unknown_form", str(UNKNOWN_FORM))
    page.fill("#id_explanation", explanation)
    page.click("#paper-count button[type=submit]")
    page.wait_for_load_state()


def _sign_out(page, base: str, user: User) -> None:
    """Sign out from the menu under the user's name; the portal lands on the sign-in page."""
    page.click(f"nav .dropdown-toggle >> text={user.full_name}")
    page.click("form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_url(f"{base}/accounts/login/")


def _pdf_text(data: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_commission_counts_signs_and_publishes_and_the_public_sees_the_results(live_server, browser, artifacts):
    election, ids = _closed_election()
    pk = election.pk
    chair, secretary = election.test_chair, election.test_secretary  # type: ignore[attr-defined]
    members = election.test_members  # type: ignore[attr-defined]
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()

    # The secretary finds the election on the dashboard: voting has closed, the paper count is to enter.
    sign_in(page, base, secretary.id_code)
    assert page.locator("html").get_attribute("lang") == "kk"
    page.click(f"#commission-counting a[href='/elections/{pk}/counting/']")
    page.wait_for_url(f"{base}/elections/{pk}/counting/")
    election.refresh_from_db()
    assert election.phase == rules.Phase.COUNTING.name  # the page brought the stored phase up to the clock
    rows = _results_rows(page)
    assert {name: cells[0] for name, cells in rows.items()} == {n: str(v) for n, v in ONLINE.items()}
    assert all(cells[1] == "—" for cells in rows.values())  # no paper count yet
    assert _cells(page, "#cross-check dd") == [str(PAPER_ISSUED), "—", "—"]
    page.screenshot(path=str(artifacts / "30-counting-online-tally-kk.png"), full_page=True)

    # A total that does not add up: the numbers are said back, nothing is stored.
    counted = sum(PAPER.values()) + INVALID + UNKNOWN_FORM
    _fill_paper_count(page, ids, found=counted + 1)
    message = kk(
        "The totals do not match: %(found)s ballots were found in the box, but %(counted)s are counted "
        "(%(votes)s for candidates, %(invalid)s invalid, %(unknown)s of an unknown form).",
        found=counted + 1,
        counted=counted,
        votes=sum(PAPER.values()),
        invalid=INVALID,
        unknown=UNKNOWN_FORM,
    )
    assert message in text_of(page, ".alert[role=alert]")
    assert page.input_value("#id_ballots_found") == str(counted + 1)  # the form keeps what was typed
    assert not PaperCount.objects.exists()
    page.screenshot(path=str(artifacts / "31-counting-wrong-total-kk.png"), full_page=True)

    # The totals add up, but one ballot more was found than the poll book issued: it must be explained.
    _fill_paper_count(page, ids, found=counted)
    message = kk(
        "%(issued)s paper ballots were issued but %(found)s were found in the box: "
        "explain the discrepancy of %(difference)+d.",
        issued=PAPER_ISSUED,
        found=counted,
        difference=counted - PAPER_ISSUED,
    )
    assert message in text_of(page, ".alert[role=alert]") and "+1" in message
    assert not PaperCount.objects.exists()
    page.screenshot(path=str(artifacts / "32-counting-unexplained-discrepancy-kk.png"), full_page=True)

    # With the explanation the count is saved, and the table adds paper to online.
    _fill_paper_count(page, ids, found=counted, explanation=EXPLANATION)
    page.wait_for_url(f"{base}/elections/{pk}/counting/")
    assert kk("The paper count is saved.") in text_of(page, ".alert[role=alert]")
    count = PaperCount.objects.get(election=election)
    assert (count.ballots_found, count.invalid, count.unknown_form) == (counted, INVALID, UNKNOWN_FORM)
    assert count.discrepancy_explanation == EXPLANATION and count.entered_by == secretary
    assert {line.candidate_id: line.votes for line in count.lines.all()} == {ids[n]: v for n, v in PAPER.items()}
    rows = _results_rows(page)
    assert rows == {n: [str(ONLINE[n]), str(PAPER[n]), str(ONLINE[n] + PAPER[n])] for n in CANDIDATES}
    assert _cells(page, "#cross-check dd") == [str(PAPER_ISSUED), str(counted), "+1"]
    assert EXPLANATION in text_of(page, "#cross-check")
    page.screenshot(path=str(artifacts / "33-counting-saved-kk.png"), full_page=True)

    # The secretary draws up the protocol (two originals) and signs it first.
    page.click(f".nav-tabs a[href='/elections/{pk}/protocol/']")
    page.wait_for_url(f"{base}/elections/{pk}/protocol/")
    page.screenshot(path=str(artifacts / "34-protocol-to-draw-up-kk.png"), full_page=True)
    page.click(f"form[action='/elections/{pk}/protocol/draw-up/'] button[type=submit]")
    page.wait_for_load_state()
    assert kk("The protocol is drawn up in two originals.") in text_of(page, ".alert[role=alert]")
    protocol = Protocol.objects.get(election=election)
    assert protocol.drawn_up_by == secretary and protocol.results["explanation"] == EXPLANATION
    assert page.locator("#protocol-download").is_visible()
    page.click(f"form[action='/elections/{pk}/protocol/sign/'] button[type=submit]")
    page.wait_for_load_state()
    assert kk("You have signed the protocol.") in text_of(page, ".alert[role=alert]")
    assert text_of(page, "#signatures .card-header .text-muted") == kk("%(n)s of %(total)s", n=1, total=4)
    page.screenshot(path=str(artifacts / "35-protocol-drawn-up-signed-by-secretary-kk.png"), full_page=True)
    _sign_out(page, base, secretary)

    # Each member signs in in turn and signs from the dashboard; the chair signs last and publishes.
    for n, user in enumerate([*members, chair], start=2):
        sign_in(page, base, user.id_code)
        page.click(f"#commission-counting a[href='/elections/{pk}/protocol/']")
        page.wait_for_url(f"{base}/elections/{pk}/protocol/")
        page.click(f"form[action='/elections/{pk}/protocol/sign/'] button[type=submit]")
        page.wait_for_load_state()
        assert kk("You have signed the protocol.") in text_of(page, ".alert[role=alert]")
        assert text_of(page, "#signatures .card-header .text-muted") == kk("%(n)s of %(total)s", n=n, total=4)
        assert page.locator(f"form[action='/elections/{pk}/protocol/sign/']").count() == 0
        page.screenshot(path=str(artifacts / f"36-protocol-signed-{n}-of-4-kk.png"), full_page=True)
        if user != chair:
            assert page.locator(f"form[action='/elections/{pk}/publish/']").count() == 0
            _sign_out(page, base, user)
    assert ProtocolSignature.objects.filter(protocol=protocol).count() == 4
    election.refresh_from_db()
    assert election.phase == rules.Phase.PROTOCOL_SIGNED.name
    page.click(f"form[action='/elections/{pk}/publish/'] button[type=submit]")
    page.wait_for_load_state()
    assert kk("The results are published.") in text_of(page, ".alert[role=alert]")
    election.refresh_from_db()
    assert election.phase == rules.Phase.PUBLISHED.name
    winner = StudentProfile.objects.get(candidacies__pk=ids["Бекова Айгерім"])
    assert Mandate.objects.get(election=election).holder == winner
    page.screenshot(path=str(artifacts / "37-protocol-published-kk.png"), full_page=True)
    context.close()

    # Anyone, signed in or not, sees the results and downloads the signed protocol.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()
    page.goto(f"{base}/elections/results/")
    page.click(f"a[href='/elections/{pk}/results/']")
    page.wait_for_url(f"{base}/elections/{pk}/results/")
    assert page.locator("html").get_attribute("lang") == "kk"
    outcome = text_of(page, "#outcome")
    assert "Бекова Айгерім" in outcome and kk_plural("(%(n)s vote)", "(%(n)s votes)", 6) in outcome
    assert _results_rows(page) == {n: [str(ONLINE[n]), str(PAPER[n]), str(ONLINE[n] + PAPER[n])] for n in CANDIDATES}
    assert [n.split()[0] for n in page.locator("#results-table tbody tr td:nth-child(2)").all_inner_texts()] == [
        "Бекова",
        "Әлиев",
        "Жанова",
    ]  # most votes first
    roll, voted = election.roll.count(), sum(ONLINE.values()) + PAPER_ISSUED
    turnout = _cells(page, "#turnout dd")
    assert turnout[:3] == [str(roll), str(sum(ONLINE.values())), str(PAPER_ISSUED)]
    assert turnout[3].startswith(f"{voted} (")
    assert "Бекова Айгерім" in text_of(page, "#mandate")
    page.screenshot(path=str(artifacts / "38-public-results-kk.png"), full_page=True)

    href = page.get_attribute("#protocol-link", "href")
    assert href == f"/elections/{pk}/protocol.pdf"
    response = context.request.get(f"{base}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (artifacts / "39-protocol-published.pdf").write_bytes(pdf)
    context.close()

    text = _pdf_text(pdf)
    for n in (1, 2):
        assert kk("Original %(n)s of %(total)s", n=n, total=2) in text
    for name in CANDIDATES:
        online, paper = ONLINE[name], PAPER[name]
        # Each original has the candidate's row: online, paper, total.
        assert len(re.findall(rf"{name} {online} {paper} {online + paper}", text)) == 2, name
    assert text.count(EXPLANATION) == 2
    for name in COMMISSION:
        assert text.count(name) >= 2, name
    signed = re.escape(kk("Signed in the portal on %(when)s", when="@")).replace("@", r"\d\d\.\d\d\.\d{4} \d\d:\d\d")
    assert len(re.findall(signed, text)) == 8  # four signatures in each original
