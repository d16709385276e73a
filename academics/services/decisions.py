"""AC-11/AC-12 transfer decisions and the AC-17 state scholarship list, set-based for a whole university.

GPA is computed in the database for every student at once: SUM(points x credits) / SUM(credits) over
signed grades, summer and practice included (AC-11). The arithmetic is done in integer hundredths of a
point (points carry two decimals), so it is exact on Postgres and on SQLite (which keeps decimals as
floats), and the half-up rounding to two decimals is the integer division floor((2W + C) / 2C): the
same value `rules.gpa` gives. The rules themselves stay in `rules.py`; the database only sums.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import AcademicYear, GradeRecord, Term, TransferDecision, TransferRun
from portal.models import Role, StudentProfile, StudyGroup, User
from portal.permissions import groups_in_scope, is_registrar, user_roles
from portal.text import kazakh_order

# AC-12/AC-17: the state-funded students (a state grant is awarded under the state educational order).
STATE_FUNDED = (StudentProfile.Funding.STATE_GRANT, StudentProfile.Funding.STATE_ORDER)
BATCH = 3000  # rows per INSERT: 3000 x ~20 columns stays under the 65,535 bind parameters of Postgres
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
SCHOLARSHIP_VIEWERS = (Role.DEAN, Role.STUDENT_DEAN)
DECISION_FIELDS = (
    "year_of_study",
    "to_year",
    "gpa_year",
    "gpa_cumulative",
    "basis",
    "gpa_deciding",
    "threshold",
    "outcome",
    "state_grant_lost",
    "policy_version",
)


@dataclass(frozen=True)
class GpaRow:
    """One student's GPAs at the end of an academic year, with what the transfer rule needs to know of them."""

    student_id: int
    funding: str
    admission_year: int
    level: str
    gpa_year: Decimal
    gpa_cumulative: Decimal


def _hundredths(weighted: Combinable, credits: Combinable) -> ExpressionWrapper:
    """Half-up rounded hundredths of weighted / credits, in integers: floor((2W + C) / 2C)."""
    return ExpressionWrapper((2 * weighted + credits) / (2 * credits), output_field=BigIntegerField())


def _as_gpa(hundredths: int) -> Decimal:
    return (Decimal(hundredths) / HUNDRED).quantize(CENT)


def signed_grades() -> QuerySet[GradeRecord]:
    """AC-11: the grades GPA counts: signed, with points (amended ones show their latest amendment)."""
    return GradeRecord.objects.filter(signed_at__isnull=False, points__isnull=False)


def gpa_table(academic_year: AcademicYear) -> list[GpaRow]:
    """AC-11 in two queries: each enrolled student's GPA of `academic_year` (its summer term included) and
    the cumulative GPA up to its end, for every student with a signed grade in that year.

    The aggregate groups by student id alone (a narrow hash aggregate over the grades); what the
    transfer rule needs to know of each student comes from a second, small query.
    """
    credits = F("enrolment__offering__discipline__credits")
    weighted = ExpressionWrapper(Cast(Round(F("points") * 100), IntegerField()) * credits, output_field=IntegerField())
    in_year = Q(enrolment__offering__term__academic_year=academic_year)
    gpas = (
        signed_grades()
        .filter(enrolment__offering__term__academic_year__start_year__lte=academic_year.start_year)
        .values("enrolment__student_id")
        .annotate(
            w_year=Cast(Sum(weighted, filter=in_year), BigIntegerField()),
            c_year=Cast(Sum(credits, filter=in_year), BigIntegerField()),
            w_all=Cast(Sum(weighted), BigIntegerField()),
            c_all=Cast(Sum(credits), BigIntegerField()),
        )
        .filter(c_year__gt=0)
        .annotate(year_h=_hundredths(F("w_year"), F("c_year")), all_h=_hundredths(F("w_all"), F("c_all")))
        .order_by()
        .values_list("enrolment__student_id", "year_h", "all_h")
    )
    students = {
        pk: (funding, admission, level)
        for pk, funding, admission, level in StudentProfile.objects.filter(
            status=StudentProfile.Status.ENROLLED
        ).values_list("pk", "funding", "group__admission_year", "group__programme__level")
    }
    return [
        GpaRow(student_id, *students[student_id], _as_gpa(year_h), _as_gpa(all_h))
        for student_id, year_h, all_h in gpas
        if student_id in students
    ]


def _decision(row: GpaRow, year: AcademicYear, policy: rules.Policy, now: datetime) -> TransferDecision:
    year_of_study = rules.year_of_study_in(year.start_year, row.admission_year)
    final_year = rules.PROGRAMME_YEARS.get(row.level, rules.PROGRAMME_YEARS["bachelor"])
    result = rules.transfer_decision(
        year_of_study, final_year, row.gpa_year, row.gpa_cumulative, row.funding in STATE_FUNDED, policy
    )
    return TransferDecision(
        student_id=row.student_id,
        academic_year=year,
        year_of_study=year_of_study,
        to_year=result.to_year,
        gpa_year=row.gpa_year,
        gpa_cumulative=row.gpa_cumulative,
        basis=policy.transfer_basis,
        gpa_deciding=result.deciding_gpa,
        threshold=result.threshold,
        outcome=result.outcome,
        state_grant_lost=result.state_grant_lost,
        policy_version=policy.version,
        computed_at=now,
    )


def _values(decision: TransferDecision) -> tuple[object, ...]:
    return tuple(getattr(decision, name) for name in DECISION_FIELDS)


@transaction.atomic
def decide_transfers(registrar: User, academic_year: AcademicYear) -> int:
    """AC-12: compute and store every student's transfer decision for the year under its current rules.

    Set-based: a fixed number of queries whatever the number of students (the GPA and student queries,
    one read of the existing decisions, upserts and history rows in batches of 3,000). New and changed
    decisions get a history record each; the run gets a TransferRun row. A decision made earlier for a
    student who no longer has a signed grade in the year, or is no longer enrolled, is left as it was
    (and shows as stale once the rules change). Returns how many decisions were written.
    """
    if not is_registrar(registrar):
        raise PermissionDenied
    # One run per year at a time: a second registrar's run waits here, then recomputes on fresh data.
    year = AcademicYear.objects.select_for_update().get(pk=academic_year.pk)
    policy = year.policy()
    now = timezone.now()
    decisions = [_decision(row, year, policy, now) for row in gpa_table(year)]
    existing = {
        values[0]: (values[1], values[2:])
        for values in TransferDecision.objects.filter(academic_year=year).values_list(
            "student_id", "pk", *DECISION_FIELDS
        )
    }
    TransferDecision.objects.bulk_create(
        decisions,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["student", "academic_year"],
        update_fields=[*DECISION_FIELDS, "computed_at"],
    )
    created = [d for d in decisions if d.student_id not in existing]
    if any(d.pk is None for d in created):  # a backend that returns no ids from an upsert: one more query
        ids = dict(TransferDecision.objects.filter(academic_year=year).values_list("student_id", "pk"))
        for d in created:
            d.pk = ids[d.student_id]
    changed = []
    for d in decisions:
        if d.student_id in existing and existing[d.student_id][1] != _values(d):
            d.pk = existing[d.student_id][0]
            changed.append(d)
    # The history rows carry the rules version themselves, and the registrar as their user.
    for batch, update in ((created, False), (changed, True)):
        if batch:
            TransferDecision.history.bulk_history_create(batch, batch_size=BATCH, update=update, default_user=registrar)
    outcomes = Counter(d.outcome for d in decisions)
    TransferRun.objects.create(
        academic_year=year,
        policy_version=policy.version,
        run_by=registrar,
        run_at=now,
        students=len(decisions),
        transfers=outcomes[TransferDecision.Outcome.TRANSFERS],
        repeats=outcomes[TransferDecision.Outcome.REPEATS],
        final_year=outcomes[TransferDecision.Outcome.FINAL_YEAR],
        grants_lost=sum(1 for d in decisions if d.state_grant_lost),
        changed=len(created) + len(changed),
    )
    return len(decisions)


def decisions_of(academic_year: AcademicYear) -> QuerySet[TransferDecision]:
    """The year's decisions with what a list page shows of each."""
    return TransferDecision.objects.filter(academic_year=academic_year).select_related(
        "academic_year", "student__user", "student__group"
    )


def decision_summary(academic_year: AcademicYear) -> dict[str, int]:
    """Counts by outcome, lost grants and stale decisions, in one query."""
    outcome = TransferDecision.Outcome
    return TransferDecision.objects.filter(academic_year=academic_year).aggregate(
        total=Count("pk"),
        transfers=Count("pk", filter=Q(outcome=outcome.TRANSFERS)),
        repeats=Count("pk", filter=Q(outcome=outcome.REPEATS)),
        final_year=Count("pk", filter=Q(outcome=outcome.FINAL_YEAR)),
        grants_lost=Count("pk", filter=Q(state_grant_lost=True)),
        stale=Count("pk", filter=~Q(policy_version=academic_year.policy_version)),
    )


# AC-17: the state scholarship.
@dataclass(frozen=True)
class ScholarshipRow:
    """One eligible student, as plain values (a list of thousands: no model instances to build)."""

    student_id: int
    id_code: str
    full_name: str
    group: str
    funding: str
    year_of_study: int
    first_semester: bool
    letters: tuple[str, ...]

    @property
    def funding_label(self) -> str:
        return str(StudentProfile.Funding(self.funding).label)


def scholarship_terms() -> QuerySet[Term]:
    """The semesters a scholarship is assigned for (not the paid summer semester)."""
    return (
        Term.objects.exclude(kind=Term.Kind.SUMMER)
        .select_related("academic_year")
        .order_by("-academic_year__start_year", "-starts_on")
    )


def can_view_scholarship(user: User) -> bool:
    """The registrar (all students) and deans (their scope), read-only for the deans."""
    return is_registrar(user) or bool(user_roles(user) & set(SCHOLARSHIP_VIEWERS))


def scholarship_groups(user: User) -> QuerySet[StudyGroup]:
    """The study groups whose scholarship list the user may see (403 if none: see can_view_scholarship)."""
    if not can_view_scholarship(user):
        raise PermissionDenied
    if is_registrar(user):
        return StudyGroup.objects.all()
    return groups_in_scope(user, SCHOLARSHIP_VIEWERS)


def scholarship_list(term: Term, groups: QuerySet[StudyGroup] | None = None) -> list[ScholarshipRow]:
    """AC-17: the state-funded students eligible for the state scholarship in `term`, in two queries,
    by group and name in Kazakh alphabetical order.

    Every first-year state-funded student in the autumn semester; afterwards, those whose every signed
    grade of the previous session is at least the year's minimum letter (C+ by default).
    """
    if term.kind == Term.Kind.SUMMER:
        raise AcademicsError(_("The summer semester has no state scholarship."))
    year = term.academic_year
    policy = year.policy()
    students = StudentProfile.objects.filter(funding__in=STATE_FUNDED, status=StudentProfile.Status.ENROLLED)
    if groups is not None:
        students = students.filter(group__in=groups)
    kind, start_year = rules.previous_session(term.kind, year.start_year)
    letters: dict[int, list[str]] = defaultdict(list)
    grades = signed_grades().filter(
        enrolment__offering__term__kind=kind,
        enrolment__offering__term__academic_year__start_year=start_year,
        enrolment__student__in=students.values("pk"),
    )
    for student_id, letter in grades.values_list("enrolment__student_id", "letter"):
        letters[student_id].append(letter)
    order = kazakh_order("group__name", "user__last_name", "user__first_name", "user__patronymic")
    people = students.order_by(*order, "pk").values_list(
        "pk",
        "user__id_code",
        "user__last_name",
        "user__first_name",
        "user__patronymic",
        "group__name",
        "funding",
        "group__admission_year",
    )
    rows = []
    for pk, id_code, last, first, patronymic, group, funding, admission in people:
        year_of_study = rules.year_of_study_in(year.start_year, admission)
        first_semester = term.kind == Term.Kind.AUTUMN and year_of_study == 1
        session = tuple(letters.get(pk, ()))
        if rules.scholarship_eligible(funding in STATE_FUNDED, first_semester, session, policy):
            name = " ".join(p for p in (last, first, patronymic) if p)
            rows.append(ScholarshipRow(pk, id_code, name, group, funding, year_of_study, first_semester, session))
    return rows
