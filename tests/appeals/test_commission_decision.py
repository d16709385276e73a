"""AP-12: the commission's decision recorded as a protocol PDF; the answer follows from the finding
(a refusal after the AP-22 hearing)."""

import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from appeals.errors import AppealError
from appeals.models import CommissionSeat, Decision, Event, Hearing, Outcome, Status
from appeals.services import commission
from portal.models import Notification
from tests.appeals.commission_support import (
    ORDER_DAY,
    Seat,
    decide,
    head_of,
    make_commissioners,
    referred,
    tmp_media,  # noqa: F401 (a fixture)
)
from tests.factories import UserFactory
from tests.pdf import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_media")]
Facts = Decision.Facts


def pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_ap12_the_outcome_follows_the_finding():
    assert commission.outcome_for(Facts.CONFIRMED) == Outcome.UPHELD
    assert commission.outcome_for(Facts.NOT_CONFIRMED) == Outcome.REFUSED
    assert commission.outcome_for(Facts.FALSE) == Outcome.REFUSED


def test_ap12_facts_confirmed_need_measures_and_nothing_is_stored_without_them():
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(AppealError, match="record the measures"):
        decide(c, case, measures="  ")
    assert not Decision.objects.exists()
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=case, facts=Facts.CONFIRMED, reasoning="x", decided_on=ORDER_DAY, recorded_by=c.school.dean
        )


def test_ap12_the_chair_records_the_decision_with_the_protocol():
    c = make_commissioners()
    case = referred(c)
    absent = CommissionSeat.objects.get(commission__application=case, role=Seat.LAWYER)
    present = CommissionSeat.objects.filter(commission__application=case).exclude(pk=absent.pk)
    decision = decide(c, case, present=[s.pk for s in present if s.role != Seat.CHAIR])
    assert (decision.facts, decision.decided_on, decision.recorded_by) == (
        Facts.CONFIRMED,
        date(2026, 11, 20),
        c.school.dean,
    )
    # The chair is present whenever the chair records the decision.
    assert set(decision.present.all()) == set(present)
    assert decision.protocol is not None and decision.protocol.registration_number == case.number
    assert decision.protocol.kind == "appeal-protocol" and len(decision.protocol.sha256) == 64
    assert case.events.filter(type=Event.Type.DECIDED, public=True).exists()
    case.refresh_from_db()
    assert case.status == Status.COMMISSION  # the answer follows separately
    assert Notification.objects.filter(recipient=c.people[Seat.LAWYER], subject__contains="decided").exists()
    assert decision.history.get().history_user == c.school.dean
    with pytest.raises(AppealError, match="already recorded"):
        decide(c, case)


def test_ap12_the_protocol_pdf_names_the_case_the_order_the_members_and_the_decision():
    c = make_commissioners()
    case = referred(c)
    head = head_of(c.department)
    commission.request_documents(c.school.dean, case, c.department, "Емтихан кестесінің көшірмесі", today=ORDER_DAY)
    commission.add_recommendation(
        c.school.dean,
        case,
        "Кесте өзгерісін топқа 3 күн бұрын хабарлау",
        c.school.teacher,
        date(2026, 12, 15),
        ORDER_DAY,
    )
    lawyer = CommissionSeat.objects.get(commission__application=case, role=Seat.LAWYER)
    seats = CommissionSeat.objects.filter(commission__application=case).exclude(pk=lawyer.pk)
    with translation.override("en"):
        decision = decide(c, case, present=[s.pk for s in seats])
    assert decision.protocol is not None
    data = decision.protocol.file.read()
    text = pdf_text(data, "appeal-protocol")
    assert pages(data) <= 2  # one page, or two when factory names run long; never a stray third
    flat = " ".join(text.split())
    assert case.number in text and "20.11.2026" in text
    assert "Dean's order No. 15-к of 18.11.2026" in flat
    assert "Members present" in text and "Absent: Заңгерова" in flat
    assert "Facts confirmed" in text and "Деканат хатшысына ескерту жасалсын." in text
    assert "Кесте топқа хабарланбаған" in text
    assert "Кесте өзгерісін топқа 3 күн бұрын хабарлау" in flat and "15.12.2026" in text
    assert "Емтихан кестесінің көшірмесі" in flat and "not answered" in text
    signatures = flat.split("Signatures of the members of the commission", 1)[1]
    for seat in CommissionSeat.objects.filter(commission__application=case).select_related("user"):
        assert seat.user.last_name in signatures
    assert head.last_name not in text


def test_ap12_not_confirmed_and_knowingly_false_may_record_measures_against_the_applicant():
    c = make_commissioners()
    case = referred(c)
    with translation.override("en"):
        decision = decide(c, case, facts=Facts.FALSE, measures="Өтініш берушіге сөгіс жариялансын.")
    assert decision.protocol is not None
    text = pdf_text(decision.protocol.file.read(), collapse=True)
    assert "Knowingly false or insulting" in text
    assert "Measures decided in respect of the applicant: Өтініш берушіге сөгіс жариялансын." in text
    other = referred(c)
    assert decide(c, other, facts=Facts.NOT_CONFIRMED).measures == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"facts": "maybe"}, "Choose the commission's finding"),
        ({"reasoning": " "}, "State the facts"),
        ({"decided_on": date(2026, 11, 17)}, "before the order"),
        ({"decided_on": date(2099, 1, 5)}, "cannot be in the future"),
        ({"present": [999_999]}, "Only members"),
    ],
)
def test_ap12_bad_decisions_are_refused_and_nothing_is_stored(change, message):
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(AppealError, match=message):
        decide(c, case, **change)
    assert not Decision.objects.exists()


def test_ap12_only_the_chair_records_the_decision():
    c = make_commissioners()
    case = referred(c)
    other_dean = UserFactory.create(is_superuser=True)
    for outsider in (c.people[Seat.LAWYER], other_dean):
        with pytest.raises(PermissionDenied):
            commission.record_decision(
                outsider, case, facts=Facts.NOT_CONFIRMED, reasoning="x", present=[], decided_on=ORDER_DAY
            )
    assert not Decision.objects.exists()


def test_ap12_confirmed_facts_answer_the_case_as_upheld():
    c = make_commissioners()
    case = referred(c)
    decide(c, case)
    answered = commission.answer_from_decision(c.school.dean, case, "Шағымыңыз қанағаттандырылды.", date(2026, 11, 23))
    assert (answered.status, answered.outcome) == (Status.ANSWERED, Outcome.UPHELD)
    assert answered.answer_document is not None


def test_ap12_ap22_a_refusal_needs_the_hearing_first():
    """AP-12, AP-22: facts not confirmed: the applicant hears the intended refusal and has 3 working days."""
    c = make_commissioners()
    case = referred(c)
    decide(c, case, facts=Facts.NOT_CONFIRMED)
    with pytest.raises(AppealError, match="intended decision"):
        commission.answer_from_decision(c.school.dean, case, "Бас тартылды.", date(2026, 11, 23))
    hearing = commission.send_intended_refusal(c.school.dean, case, "Фактілер расталмады.", date(2026, 11, 23))
    assert hearing.answer_due == date(2026, 11, 26)
    with pytest.raises(AppealError, match="intended decision"):
        commission.answer_from_decision(c.school.dean, case, "Бас тартылды.", date(2026, 11, 26))
    answered = commission.answer_from_decision(c.school.dean, case, "Бас тартылды.", date(2026, 11, 27))
    assert (answered.status, answered.outcome) == (Status.ANSWERED, Outcome.REFUSED)


def test_ap12_no_hearing_when_the_facts_are_confirmed_and_none_before_the_decision():
    c = make_commissioners()
    case = referred(c)
    with pytest.raises(AppealError, match="not recorded its decision"):
        commission.send_intended_refusal(c.school.dean, case, "x")
    decide(c, case)
    with pytest.raises(AppealError, match="no hearing is needed"):
        commission.send_intended_refusal(c.school.dean, case, "x")
    assert not Hearing.objects.exists()
