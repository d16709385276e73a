"""Demo academics: last year's signed grades (transcripts) and this year's autumn term in progress."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from academics import rules
from academics.models import (
    AcademicDifference,
    AcademicYear,
    Discipline,
    Enrolment,
    GradeRecord,
    Offering,
    Term,
    TuitionContract,
)
from academics.services import differences, summer, tuition
from academics.services.calendar import create_academic_year
from academics.services.gradebook import compute_result, sign_statement
from portal.demo import current_academic_year_start, demo_accounts
from portal.models import Role, RoleAssignment, StudentProfile, StudyGroup, User

DISCIPLINES = [
    (
        "ALG101",
        "Алгоритмдер және деректер құрылымы",
        "Алгоритмы и структуры данных",
        "Algorithms and Data Structures",
        5,
    ),
    ("DB201", "Деректер базасы", "Базы данных", "Databases", 5),
    ("KAZ101", "Қазақ тілі", "Казахский язык", "Kazakh Language", 5),
    (
        "HIS101",
        "Қазақстанның қазіргі заман тарихы",
        "Современная история Казахстана",
        "Modern History of Kazakhstan",
        5,
    ),
    ("ECO101", "Экономикалық теория", "Экономическая теория", "Economic Theory", 5),
    ("LAW101", "Құқық негіздері", "Основы права", "Foundations of Law", 3),
    ("PED201", "Педагогика", "Педагогика", "Pedagogy", 5),
    ("PHI101", "Философия", "Философия", "Philosophy", 5),
]


def _open_windows_for_visitors(term: Term) -> None:
    """The demo's registrar keeps R2 and exam entry open around today, so a visitor can try the whole
    gradebook (a real calendar opens them in week 15 and in the exam session)."""
    today = timezone.localdate()
    term.r2_entry_opens = term.exam_entry_opens = min(today, term.ends_on) - timedelta(days=7)
    term.r2_entry_closes = term.exam_entry_closes = max(today, term.exams_end) + timedelta(days=30)
    term.save()


@transaction.atomic
def seed(seed_value: int = 2026) -> dict[str, int]:
    rng = random.Random(seed_value)
    registrar = RoleAssignment.objects.filter(role=Role.REGISTRAR).select_related("user").first()
    if registrar is None:
        raise ValueError("run seed_demo first")
    year0 = current_academic_year_start()
    this_year = create_academic_year(registrar.user, year0)
    last_year = create_academic_year(registrar.user, year0 - 1)
    _open_windows_for_visitors(Term.objects.get(academic_year=this_year, kind=Term.Kind.AUTUMN))
    disciplines = [
        Discipline.objects.create(code=c, name_kk=kk, name_ru=ru, name_en=en, credits=cr)
        for c, kk, ru, en, cr in DISCIPLINES
    ]
    # Teachers who are not also advisors, so the demo teacher's login lands on the teacher board.
    advisors = set(RoleAssignment.objects.filter(role=Role.ADVISOR).values_list("user_id", flat=True))
    teachers: list[User] = [
        ra.user
        for ra in RoleAssignment.objects.filter(role=Role.TEACHER).select_related("user").order_by("user__id_code")
        if ra.user_id not in advisors
    ]
    groups = list(StudyGroup.objects.order_by("name"))
    by_group: dict[int, list[StudentProfile]] = {}
    for student in StudentProfile.objects.order_by("user__id_code"):
        by_group.setdefault(student.group_id, []).append(student)
    graded = 0
    for year, signed in ((last_year, True), (this_year, False)):
        autumn = Term.objects.get(academic_year=year, kind=Term.Kind.AUTUMN)
        # One section per study group and discipline; every group takes four of the eight disciplines.
        for g, group in enumerate(groups):
            members = [s for s in by_group.get(group.pk, []) if not signed or s.year_of_study >= 2]
            if not members:
                continue
            for i in range(g % 2, len(disciplines), 2):
                offering = Offering.objects.create(discipline=disciplines[i], term=autumn, section=group.name)
                teacher = teachers[(i + g) % len(teachers)] if g else teachers[0]
                offering.teachers.add(teacher)
                offering.groups.add(group)
                enrolments = Enrolment.objects.bulk_create(Enrolment(offering=offering, student=s) for s in members)
                grades = []
                for e in enrolments:
                    grade = GradeRecord(enrolment=e, r1=Decimal(rng.randint(45, 100)))
                    if signed:  # last year: complete; this autumn is in progress: R1 only
                        grade.r2, grade.exam = Decimal(rng.randint(45, 100)), Decimal(rng.randint(20, 100))
                    compute_result(grade, False, year.policy_version)
                    grades.append(grade)
                bulk_create_with_history(grades, GradeRecord, default_user=teacher)
                graded += len(grades)
                if signed:
                    sign_statement(teacher, offering)
    applications = _seed_summer(registrar.user, Term.objects.get(academic_year=this_year, kind=Term.Kind.SUMMER))
    contracts = _seed_tuition(registrar.user, this_year, rng)
    return {
        "academic_years": AcademicYear.objects.count(),
        "offerings": Offering.objects.count(),
        "grades": graded,
        "summer_applications": applications,
        "tuition_contracts": contracts,
    }


# (discipline code, applicants, of whom paid): one course ready to open, two still short of 8 paid.
SUMMER_DEMAND = [("ALG101", 10, 8), ("DB201", 6, 3), ("ECO101", 3, 1)]


def _seed_summer(registrar: User, term: Term) -> int:
    """AC-15: applications for this year's summer semester while its window is open, through the services;
    the demo student has applied for one course and has an open academic difference (AC-20)."""
    today = timezone.localdate()
    if not rules.summer_application_in_time(today, term.starts_on):
        return 0
    demo_student = next((a.user for a in demo_accounts() if a.dashboard == "student"), None)
    others = list(
        StudentProfile.objects.exclude(user=demo_student).select_related("user").order_by("user__id_code")[:20]
    )
    count = 0
    for code, applicants, paid in SUMMER_DEMAND:
        discipline = Discipline.objects.get(code=code)
        people = [s.user for s in others[count : count + applicants]]
        if code == "DB201" and demo_student is not None:
            people[-1] = demo_student
        for i, user in enumerate(people):
            application = summer.apply_for_summer_course(user, term, discipline)
            if i < paid:
                summer.record_summer_payment(registrar, application, reference=f"ПП-{application.pk:04d}")
        count += applicants
    if demo_student is not None:
        differences.record_difference(
            registrar,
            StudentProfile.objects.get(user=demo_student),
            Discipline.objects.get(code="PHI101"),
            AcademicDifference.Reason.TRANSFER,
            due_on=today + timedelta(days=60),
            document_reference="№ 118-б",
        )
    return count


def _seed_tuition(registrar: User, year: AcademicYear, rng: random.Random) -> int:
    """AC-18: this year's contracts for the paying students: most pay on time, some late (with a
    penalty), one in ten pays part of a tranche and one in ten nothing, so the debtor lists show."""
    today = timezone.localdate()
    students = StudentProfile.objects.filter(
        funding=StudentProfile.Funding.PAID, status=StudentProfile.Status.ENROLLED
    ).select_related("user", "group__programme__department__institute")
    made = 0
    for i, student in enumerate(students.order_by("user__id_code")):
        plan = TuitionContract.Plan.FULL_YEAR if i % 5 == 4 else TuitionContract.Plan.TRANCHES
        amount = Decimal(rng.choice([950_000, 1_100_000, 1_250_000]))
        number = f"ОШ-{year.start_year}-{i + 1:04d}"
        contract = tuition.create_contract(registrar, student, year, amount, plan, number)
        made += 1
        behaviour = i % 10
        for k, (due_on, part) in enumerate(tuition.contract_parts(contract)):
            if due_on >= today or behaviour == 0:
                break
            if behaviour == 1:  # a part of the first tranche, then nothing
                tuition.record_payment(
                    registrar, contract, due_on, (part / 2).quantize(Decimal("0.01")), f"КВ-{number}-{k + 1}"
                )
                break
            late = behaviour == 2 and k == 0
            paid_on = min(due_on + timedelta(days=12 if late else -rng.randint(0, 10)), today)
            tuition.record_payment(registrar, contract, paid_on, part, f"КВ-{number}-{k + 1}")
    return made
