"""The case's workflow after registration (appeals/services/workflow.py): triage (AP-09), extension
(AP-06), return (AP-07), repeated applications (AP-08), the hearing (AP-22), the answer and its delivery
(AP-15), and who sees a case (AP-21)."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from appeals import rules
from appeals.errors import AppealError
from appeals.models import Application, Attachment, Body, BodyMember, Delivery, Event, Outcome, Status
from appeals.permissions import can_view
from appeals.services import workflow
from portal.models import Notification, Role
from tests.appeals.factories import at, file_case, make_school
from tests.factories import RoleAssignmentFactory, StaffProfileFactory, make_student
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Filed Tuesday 17 Nov 2026 (the factories' default): due Tue 8 Dec, at the latest (extended) Wed 30 Dec.
REGISTERED, DUE, LATEST = date(2026, 11, 17), date(2026, 12, 8), date(2026, 12, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate("en")


@pytest.fixture
def school():
    return make_school("IT")


@pytest.fixture
def case(school):
    return file_case(school.student.user)


def _events(application: Application) -> list[str]:
    return list(application.events.order_by("at", "id").values_list("type", flat=True))


def _routed(school, case) -> Application:
    return workflow.route(school.dean, case, Body.DEANS_COUNCIL, [school.teacher])


# AP-09: triage -------------------------------------------------------------------------------------


def test_ap09_the_dean_routes_a_case_to_a_body_and_assigns_handlers(school, case):
    """AP-09: the dean sends the case to the dean's council with a handler; both steps on the timeline."""
    routed = _routed(school, case)
    routed.refresh_from_db()
    assert (routed.status, routed.body) == (Status.IN_REVIEW, Body.DEANS_COUNCIL)
    assert list(routed.handlers.all()) == [school.teacher]
    assert _events(routed) == [Event.Type.REGISTERED, Event.Type.ROUTED, Event.Type.ASSIGNED]
    assert not routed.events.get(type=Event.Type.ASSIGNED).public  # internal step
    assert routed.history.first().history_user == school.dean
    assert Notification.objects.filter(recipient=school.teacher, subject__contains=case.number).exists()


@pytest.mark.parametrize("who", ["teacher", "student", "other_dean"])
def test_ap09_only_the_dean_of_the_institute_routes_or_assigns(school, case, who):
    """AP-09: anyone but the institute's dean gets 403 and nothing changes."""
    actor = {"teacher": school.teacher, "student": school.student.user, "other_dean": make_school().dean}[who]
    with pytest.raises(PermissionDenied):
        workflow.route(actor, case, Body.DEANS_COUNCIL, [school.teacher])
    with pytest.raises(PermissionDenied):
        workflow.assign(actor, case, school.teacher)
    case.refresh_from_db()
    assert (case.status, case.body) == (Status.REGISTERED, "")
    assert not case.assignments.exists() and _events(case) == [Event.Type.REGISTERED]


@pytest.mark.parametrize(
    ("body", "handlers", "message"),
    [("", "teacher", "body"), (Body.EXPANDED_COMMISSION, "teacher", "body"), (Body.ETHICS_COUNCIL, None, "handler")],
)
def test_ap09_routing_needs_a_body_and_a_handler(school, case, body, handlers, message):
    with pytest.raises(AppealError, match=message):
        workflow.route(school.dean, case, body, [school.teacher] if handlers else [])
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and not case.assignments.exists()


def test_ap09_assign_adds_a_handler_once(school, case):
    _routed(school, case)
    second = StaffProfileFactory.create(department=school.student.group.programme.department).user
    workflow.assign(school.dean, case, second)
    workflow.assign(school.dean, case, second)
    assert set(case.handlers.all()) == {school.teacher, second}
    assert _events(case).count(Event.Type.ASSIGNED) == 2


# AP-06: extension ---------------------------------------------------------------------------------


def test_ap06_extension_up_to_30_working_days_with_a_reason_tells_the_applicant(school, case):
    """AP-06: due 8 Dec; extended to 30 Dec (30 working days from 17 Nov, 16 Dec a holiday) with a reason."""
    assert (case.registered_on, case.due_on, rules.latest_extension(case.registered_on)) == (REGISTERED, DUE, LATEST)
    extended = workflow.extend_deadline(school.dean, case, LATEST, "Кафедрадан құжаттар күтілуде")
    extended.refresh_from_db()
    assert extended.extended_to == LATEST and extended.deadline == LATEST and extended.due_on == DUE
    event = extended.events.get(type=Event.Type.EXTENDED)
    assert event.public and "30.12.2026" in event.note and "құжаттар" in event.note
    told = Notification.objects.get(recipient=school.student.user, subject__contains="30.12.2026")
    assert case.number in told.subject and told.body == "Кафедрадан құжаттар күтілуде"


@pytest.mark.parametrize(
    ("new_due", "reason", "message"),
    [
        (date(2026, 12, 20), "  ", "reason"),
        (DUE, "reason", r"later than the current deadline, 08\.12\.2026"),
        (date(2026, 12, 31), "reason", r"30\.12\.2026 at the latest"),
    ],
)
def test_ap06_an_extension_without_reason_not_later_or_past_30_working_days_is_refused(
    school, case, new_due, reason, message
):
    """AP-06: the reason is required; the date must be after the deadline and not past 30 working days."""
    with pytest.raises(AppealError, match=message):
        workflow.extend_deadline(school.dean, case, new_due, reason)
    case.refresh_from_db()
    assert case.extended_to is None and Event.Type.EXTENDED not in _events(case)
    assert not Notification.objects.filter(recipient=school.student.user, subject__contains="put off").exists()


def test_ap06_a_second_extension_must_be_later_than_the_first(school, case):
    workflow.extend_deadline(school.dean, case, date(2026, 12, 18), "Комиссия")
    with pytest.raises(AppealError, match=r"18\.12\.2026"):
        workflow.extend_deadline(school.dean, case, date(2026, 12, 17), "Комиссия")
    workflow.extend_deadline(school.dean, case, LATEST, "Комиссия тағы")
    case.refresh_from_db()
    assert case.extended_to == LATEST


def test_ap06_only_the_dean_extends(school, case):
    _routed(school, case)
    with pytest.raises(PermissionDenied):
        workflow.extend_deadline(school.teacher, case, LATEST, "reason")
    case.refresh_from_db()
    assert case.extended_to is None


# AP-07: return without consideration ----------------------------------------------------------------


def test_ap07_returned_within_3_working_days_with_the_explanation(school, case):
    """AP-07: registered Tue 17 Nov: can be returned until Fri 20 Nov, with the dean's explanation."""
    assert rules.return_due(case.registered_on) == date(2026, 11, 20)
    returned = workflow.return_without_consideration(
        school.dean, case, "Өтініштің мәні баяндалмаған", today=date(2026, 11, 20)
    )
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED and returned.closing_note == "Өтініштің мәні баяндалмаған"
    assert returned.answered_on == date(2026, 11, 20) and returned.answered_by == school.dean
    assert returned.events.get(type=Event.Type.RETURNED).public
    assert Notification.objects.filter(recipient=school.student.user, body="Өтініштің мәні баяндалмаған").exists()


def test_ap07_return_after_3_working_days_is_refused_naming_the_last_day(school, case):
    """AP-07: on Mon 23 Nov the three working days are over: refused, the message names 20.11.2026."""
    with pytest.raises(AppealError, match=r"20\.11\.2026"):
        workflow.return_without_consideration(school.dean, case, "Мәні жоқ", today=date(2026, 11, 23))
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.closing_note == ""


def test_ap07_return_needs_an_explanation_and_the_dean(school, case):
    with pytest.raises(AppealError, match="Explain"):
        workflow.return_without_consideration(school.dean, case, " ", today=date(2026, 11, 18))
    with pytest.raises(PermissionDenied):
        workflow.return_without_consideration(school.teacher, case, "Мәні жоқ", today=date(2026, 11, 18))
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


# AP-08: repeated applications -----------------------------------------------------------------------


def _answered(school, when) -> Application:
    earlier = file_case(school.student.user, when)
    workflow.route(school.dean, earlier, Body.DEANS_COUNCIL, [school.teacher])
    return workflow.answer_case(school.teacher, earlier, Outcome.UPHELD, "Кесте қайта қаралды.")


def test_ap08_an_answered_earlier_application_on_the_same_matter_is_found(school):
    """AP-08: the same person's answered application reading alike is offered; other matters are not."""
    earlier = _answered(school, at(2026, 10, 6))
    other = file_case(school.student.user, at(2026, 10, 7), text="Жатақханада жылу жоқ, бөлме суық, шара қолданылмайды")
    someone_else = _answered(make_school(), at(2026, 10, 8))
    repeat = file_case(school.student.user)
    assert workflow.earlier_answered(repeat) == [earlier]
    assert other not in workflow.earlier_answered(repeat) and someone_else not in workflow.earlier_answered(repeat)


def test_ap08_a_repeated_application_is_terminated_with_a_notice(school):
    earlier = _answered(school, at(2026, 10, 6))
    repeat = file_case(school.student.user)
    done = workflow.terminate_repeated(
        school.dean, repeat, earlier, "Жаңа дәлелдер келтірілмеген", today=date(2026, 11, 18)
    )
    done.refresh_from_db()
    assert done.status == Status.TERMINATED and done.earlier == earlier
    assert done.answered_on == date(2026, 11, 18)
    assert earlier.number in done.events.get(type=Event.Type.TERMINATED).note
    assert Notification.objects.filter(recipient=school.student.user, body="Жаңа дәлелдер келтірілмеген").exists()


def test_ap08_termination_needs_an_answered_earlier_application_of_the_same_person(school):
    unanswered = file_case(school.student.user, at(2026, 10, 6))
    foreign = _answered(make_school(), at(2026, 10, 6))
    repeat = file_case(school.student.user)
    later = _answered(school, at(2026, 11, 18))
    with pytest.raises(AppealError, match="not been answered"):
        workflow.terminate_repeated(school.dean, repeat, unanswered, "Жаңа дәлел жоқ")
    for wrong in (foreign, repeat, later):
        with pytest.raises(AppealError, match="same applicant"):
            workflow.terminate_repeated(school.dean, repeat, wrong, "Жаңа дәлел жоқ")
    with pytest.raises(AppealError, match="notice"):
        workflow.terminate_repeated(school.dean, repeat, _answered(school, at(2026, 10, 1)), "")
    repeat.refresh_from_db()
    assert repeat.status == Status.REGISTERED and repeat.earlier is None


# AP-22: the hearing ---------------------------------------------------------------------------------


def test_ap22_a_refusal_without_a_hearing_is_refused(school, case):
    """AP-22: refusing, or upholding only in part, needs the applicant told first."""
    _routed(school, case)
    for outcome in (Outcome.REFUSED, Outcome.PARTLY_UPHELD):
        with pytest.raises(AppealError, match="3 working days"):
            workflow.answer_case(school.teacher, case, outcome, "Бас тартылды", today=date(2026, 11, 24))
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW and case.outcome == "" and case.answer_document is None


def test_ap22_a_refusal_waits_for_the_3_working_days(school, case):
    """AP-22: sent Wed 18 Nov, the applicant may answer until Mon 23 Nov; a refusal is possible on 24 Nov."""
    _routed(school, case)
    hearing = workflow.send_hearing(school.teacher, case, "Кесте өзгермейді: бұйрық бар", today=date(2026, 11, 18))
    assert hearing.answer_due == date(2026, 11, 23)
    assert Notification.objects.filter(recipient=school.student.user, subject__contains="23.11.2026").exists()
    with pytest.raises(AppealError):
        workflow.answer_case(school.teacher, case, Outcome.REFUSED, "Бас тартылды", today=date(2026, 11, 23))
    workflow.answer_case(school.teacher, case, Outcome.REFUSED, "Бас тартылды", today=date(2026, 11, 24))
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.outcome == Outcome.REFUSED


def test_ap22_the_applicants_answer_completes_the_hearing_at_once(school, case):
    _routed(school, case)
    hearing = workflow.send_hearing(school.dean, case, "Бас тарту көзделуде", today=date(2026, 11, 18))
    workflow.answer_hearing(
        school.student.user,
        hearing,
        "Келіспеймін: бұйрық кеш жарияланды",
        file=SimpleUploadedFile("proof.pdf", PDF),
        today=date(2026, 11, 19),
    )
    hearing.refresh_from_db()
    assert hearing.answer == "Келіспеймін: бұйрық кеш жарияланды" and hearing.answered_at is not None
    assert case.attachments.get().purpose == Attachment.Purpose.HEARING_ANSWER
    assert Event.Type.HEARING_ANSWER in _events(case)
    assert Notification.objects.filter(recipient=school.teacher, subject__contains="answered").exists()
    workflow.answer_case(school.teacher, case, Outcome.PARTLY_UPHELD, "Ішінара", today=date(2026, 11, 19))


def test_ap22_an_answer_after_the_period_or_by_someone_else_is_refused(school, case):
    _routed(school, case)
    hearing = workflow.send_hearing(school.dean, case, "Бас тарту", today=date(2026, 11, 18))
    with pytest.raises(AppealError, match=r"23\.11\.2026"):
        workflow.answer_hearing(school.student.user, hearing, "Кеш жауап", today=date(2026, 11, 24))
    with pytest.raises(PermissionDenied):
        workflow.answer_hearing(school.teacher, hearing, "Мен емес", today=date(2026, 11, 19))
    with pytest.raises(AppealError, match="answer"):
        workflow.answer_hearing(school.student.user, hearing, "  ", today=date(2026, 11, 19))
    hearing.refresh_from_db()
    assert hearing.answered_at is None and Event.Type.HEARING_ANSWER not in _events(case)


def test_ap22_no_second_hearing_while_the_first_is_open(school, case):
    _routed(school, case)
    workflow.send_hearing(school.dean, case, "Бас тарту", today=date(2026, 11, 18))
    with pytest.raises(AppealError, match=r"23\.11\.2026"):
        workflow.send_hearing(school.dean, case, "Тағы", today=date(2026, 11, 19))
    assert case.hearings.count() == 1


# AP-15: the answer and its delivery -----------------------------------------------------------------


def test_ap15_the_answer_letter_pdf_is_stored_with_the_number_and_the_text(school, case):
    """AP-15: the answer letter carries the registration number, the outcome and the answer."""
    _routed(school, case)
    answered = workflow.answer_case(
        school.teacher, case, Outcome.UPHELD, "Емтихан кестесі 1 желтоқсанға ауыстырылды.", today=date(2026, 11, 24)
    )
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED and answered.answered_on == date(2026, 11, 24)
    document = answered.answer_document
    assert document is not None and document.registration_number == case.number
    text = pdf_text(Path(document.file.path).read_bytes(), collapse=True)
    assert case.number in text and "Upheld" in text
    assert "Емтихан кестесі 1 желтоқсанға ауыстырылды." in text
    assert Notification.objects.filter(recipient=school.student.user, subject__contains="answered").exists()


def test_ap15_bad_answers_are_refused_and_only_handlers_or_the_dean_answer(school, case):
    with pytest.raises(AppealError, match="not possible now"):
        workflow.answer_case(school.dean, case, Outcome.UPHELD, "Жауап")  # not routed yet
    _routed(school, case)
    with pytest.raises(AppealError, match="outcome"):
        workflow.answer_case(school.teacher, case, "maybe", "Жауап")
    with pytest.raises(AppealError, match="Write the answer"):
        workflow.answer_case(school.teacher, case, Outcome.UPHELD, " ")
    outsider = StaffProfileFactory.create().user
    with pytest.raises(PermissionDenied):
        workflow.answer_case(outsider, case, Outcome.UPHELD, "Жауап")
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW and case.answer_document is None


@pytest.fixture
def answered(school, case):
    _routed(school, case)
    return workflow.answer_case(school.teacher, case, Outcome.EXPLAINED, "Түсіндірілді", today=date(2026, 11, 24))


@pytest.mark.parametrize(
    ("applicant", "represented", "allowed", "refused"),
    [
        ("student", False, ["in_person", "post", "portal"], ["email"]),
        ("student", True, ["post", "in_person"], ["email"]),
        ("staff", False, ["in_person", "email", "portal"], ["post"]),
    ],
)
def test_ap15_delivery_ways_depend_on_the_applicant(school, applicant, represented, allowed, refused):
    """AP-15: students in person or by post; legal representatives by post or in person (told by phone);
    staff in person and by corporate e-mail."""
    user = school.student.user if applicant == "student" else school.teacher
    extra: dict[str, Any] = {}
    if represented:
        extra = {
            "representative_name": "Ахметова Г.",
            "representation_reason": "abroad",
            "representation_document": SimpleUploadedFile("power.pdf", PDF),
        }
    case = file_case(user, **extra)
    handler = StaffProfileFactory.create(department=school.student.group.programme.department).user
    workflow.route(school.dean, case, Body.DEANS_COUNCIL, [handler])
    workflow.answer_case(handler, case, Outcome.EXPLAINED, "Түсіндірілді", today=date(2026, 11, 24))
    for method in refused:
        with pytest.raises(AppealError, match="not provided"):
            workflow.record_delivery(handler, case, method, date(2026, 11, 25), "№ 1", today=date(2026, 11, 25))
    for method in allowed:
        workflow.record_delivery(
            handler, case, method, date(2026, 11, 25), "№ 1", phone_notice=represented, today=date(2026, 11, 25)
        )
    assert sorted(case.deliveries.values_list("method", flat=True)) == sorted(allowed)
    assert _events(case).count(Event.Type.DELIVERED) == len(allowed)


def test_ap15_delivery_in_person_or_by_post_needs_the_signature_or_receipt(school, answered):
    with pytest.raises(AppealError, match="signature or the postal receipt"):
        workflow.record_delivery(
            school.teacher, answered, Delivery.Method.POST, date(2026, 11, 25), today=date(2026, 11, 25)
        )
    workflow.record_delivery(
        school.teacher, answered, Delivery.Method.PORTAL, date(2026, 11, 25), today=date(2026, 11, 25)
    )
    assert answered.deliveries.get().method == "portal"


@pytest.mark.parametrize(
    ("delivered", "message"),
    [(date(2026, 11, 26), "future"), (date(2026, 11, 23), r"before it was given, 24\.11\.2026")],
)
def test_ap15_delivery_date_is_between_the_answer_and_today(school, answered, delivered, message):
    with pytest.raises(AppealError, match=message):
        workflow.record_delivery(
            school.teacher, answered, Delivery.Method.IN_PERSON, delivered, "қолы бар", today=date(2026, 11, 25)
        )
    assert not answered.deliveries.exists()


def test_ap15_nothing_is_delivered_before_the_answer(school, case):
    _routed(school, case)
    with pytest.raises(AppealError, match="not possible now"):
        workflow.record_delivery(school.teacher, case, Delivery.Method.PORTAL, date(2026, 11, 20))


# AP-21: who sees a case -----------------------------------------------------------------------------


def test_ap21_the_applicant_co_applicants_handlers_body_members_and_the_dean_see_a_case(school):
    """AP-21: only the applicant (and a group's co-applicants), the handlers, the body's members and the
    institute's dean see the case; another student, another dean and a teacher of the school do not."""
    co_applicant = make_student(group=school.student.group).user
    case = file_case(school.student.user, co_applicants=[co_applicant])
    _routed(school, case)
    member = StaffProfileFactory.create().user
    BodyMember.objects.create(body=Body.DEANS_COUNCIL, institute=school.institute, user=member)
    outsider_member = StaffProfileFactory.create().user
    BodyMember.objects.create(body=Body.PROGRAMME_COMMITTEE, institute=school.institute, user=outsider_member)
    classmate = make_student(group=school.student.group).user
    colleague = StaffProfileFactory.create(department=school.student.group.programme.department).user
    RoleAssignmentFactory.create(user=colleague, role=Role.TEACHER)
    for user in (school.student.user, co_applicant, school.teacher, member, school.dean):
        assert can_view(user, case), user
    for user in (classmate, make_school().dean, colleague, outsider_member):
        assert not can_view(user, case), user
