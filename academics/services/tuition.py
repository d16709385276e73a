"""AC-18: the tuition ledger: contracts, payments, tranches, penalty, and who is in debt.

How money is applied (the registrar's office rule, documented here because the handbook is silent):
- Payments count in date order. Each goes first to the tranches already due on its date, earliest
  first; then to the penalty accrued so far; then to the tranches not yet due, earliest first.
- Penalty: 0.1 % (the year's rate) of an overdue amount for each day it stays unpaid after its due
  date, never more than that amount (`rules.tuition_penalty`). A part paid late keeps the penalty it
  accrued until it was paid; paying the principal does not cancel the penalty.
- Paying on the due date is on time. From the next day an unpaid part of a tranche is overdue: the
  student is not admitted to classes; more than one month after the due date, the student is
  listed for expulsion (`rules.listed_for_expulsion`).
- In debt means anything owed past its date: an overdue principal or an unpaid penalty. Tuition
  debt bars the final exam (AC-06).
- Overpayment is refused: a payment may not exceed what remains of the contract plus the penalty
  accrued; the university keeps no credit balance and refunds are out of scope.
- Only students on paid study (funding "paid") have contracts, and only they are ever in debt.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from academics import rules
from academics.errors import AcademicsError
from academics.models import AcademicYear, TuitionContract, TuitionPayment
from portal.models import Role, StudentProfile, StudyGroup, User
from portal.permissions import holds_role_over_group, user_roles
from portal.text import kazakh_sort_key

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("9999999999.99")  # Decimal(12, 2)


# The ledger: pure computation on plain values (dates, amounts), no ORM.


@dataclass(frozen=True)
class Tranche:
    due_on: date
    amount: Decimal
    paid: Decimal
    overdue: Decimal  # unpaid after the due date
    days_late: int  # of the overdue part; 0 when nothing is overdue
    penalty: Decimal  # accrued, on the overdue part and on parts paid late

    @property
    def settled(self) -> bool:
        return self.paid >= self.amount


@dataclass(frozen=True)
class Ledger:
    """One contract on one day: its tranches and what was paid up to that day."""

    today: date
    tranches: tuple[Tranche, ...]
    paid: Decimal
    penalty_accrued: Decimal
    penalty_paid: Decimal
    credit: Decimal  # paid beyond the contract and the penalty (refused when recording, so normally 0)

    @property
    def amount(self) -> Decimal:
        return sum((t.amount for t in self.tranches), ZERO)

    @property
    def principal_paid(self) -> Decimal:
        return sum((t.paid for t in self.tranches), ZERO)

    @property
    def due_so_far(self) -> Decimal:
        return sum((t.amount for t in self.tranches if t.due_on <= self.today), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((t.overdue for t in self.tranches), ZERO)

    @property
    def penalty(self) -> Decimal:
        """The penalty still to pay."""
        return self.penalty_accrued - self.penalty_paid

    @property
    def outstanding(self) -> Decimal:
        """Everything still to pay: the rest of the contract, due or not, and the penalty."""
        return sum((t.amount - t.paid for t in self.tranches), ZERO) + self.penalty

    @property
    def due_for_expulsion(self) -> bool:
        return any(rules.listed_for_expulsion(t.due_on, self.today, t.overdue > 0) for t in self.tranches)

    @property
    def next_due(self) -> Tranche | None:
        """The next tranche not yet fully paid whose due date is today or later."""
        return next((t for t in self.tranches if t.due_on >= self.today and not t.settled), None)


def build_ledger(
    parts: Sequence[tuple[date, Decimal]],
    payments: Iterable[tuple[date, Decimal]],
    today: date,
    rate: Decimal = rules.PENALTY_RATE_PER_DAY,
) -> Ledger:
    """AC-18: apply the payments made up to `today`, in date order, to the tranches and the penalty
    (see the module docstring), and work out what is overdue and the penalty on `today`."""
    parts = sorted(parts)
    need = [amount for _due, amount in parts]  # principal still unpaid, per tranche
    accrued = [ZERO for _part in parts]  # penalty on the parts already paid late, per tranche
    penalty_paid = credit = total_paid = ZERO
    for paid_on, amount in sorted(p for p in payments if p[0] <= today):
        total_paid += amount
        left = amount
        # 1. The tranches due by the payment date, earliest first; a part paid late keeps its penalty.
        for k, (due_on, _amount) in enumerate(parts):
            if due_on <= paid_on and left and need[k]:
                take = min(need[k], left)
                accrued[k] += rules.tuition_penalty(take, (paid_on - due_on).days, rate)
                need[k] -= take
                left -= take
        # 2. The penalty accrued so far.
        take = min(left, sum(accrued, ZERO) - penalty_paid)
        penalty_paid += take
        left -= take
        # 3. The tranches not yet due, earliest first.
        for k, (due_on, _amount) in enumerate(parts):
            if due_on > paid_on and left and need[k]:
                take = min(need[k], left)
                need[k] -= take
                left -= take
        credit += left
    tranches = []
    for k, (due_on, amount) in enumerate(parts):
        days_late = (today - due_on).days if need[k] > 0 and today > due_on else 0
        penalty = accrued[k] + rules.tuition_penalty(need[k], days_late, rate)
        overdue = need[k] if days_late else ZERO
        tranches.append(Tranche(due_on, amount, amount - need[k], overdue, days_late, penalty))
    penalty_accrued = sum((t.penalty for t in tranches), ZERO)
    return Ledger(today, tuple(tranches), total_paid, penalty_accrued, penalty_paid, credit)


@dataclass(frozen=True)
class TuitionStatus:
    """A student's tuition on a day, over all their contracts (AC-18)."""

    due_so_far: Decimal = ZERO
    paid: Decimal = ZERO
    overdue: Decimal = ZERO
    penalty: Decimal = ZERO
    in_debt: bool = False
    not_admitted_to_classes: bool = False
    due_for_expulsion: bool = False
    next_due_on: date | None = None
    next_due_amount: Decimal = ZERO
    oldest_overdue_on: date | None = None


def status_of(ledgers: Iterable[Ledger]) -> TuitionStatus:
    """The student's status from the ledgers of their contracts."""
    ledgers = list(ledgers)
    overdue = sum((ledger.overdue for ledger in ledgers), ZERO)
    penalty = sum((ledger.penalty for ledger in ledgers), ZERO)
    upcoming = [t for ledger in ledgers if (t := ledger.next_due) is not None]
    next_due = min(upcoming, key=lambda t: t.due_on, default=None)
    late = [t.due_on for ledger in ledgers for t in ledger.tranches if t.overdue > 0]
    return TuitionStatus(
        due_so_far=sum((ledger.due_so_far for ledger in ledgers), ZERO),
        paid=sum((ledger.paid for ledger in ledgers), ZERO),
        overdue=overdue,
        penalty=penalty,
        in_debt=overdue > 0 or penalty > 0,
        not_admitted_to_classes=overdue > 0,
        due_for_expulsion=any(ledger.due_for_expulsion for ledger in ledgers),
        next_due_on=next_due.due_on if next_due else None,
        next_due_amount=next_due.amount - next_due.paid if next_due else ZERO,
        oldest_overdue_on=min(late, default=None),
    )


# Reading contracts: each read below is one query, whatever the number of students.


def contract_parts(contract: TuitionContract) -> list[tuple[date, Decimal]]:
    """AC-18: the contract's due dates and amounts (the last tranche takes the rounding remainder)."""
    return rules.split_tuition(contract.amount, contract.schedule())


def contract_ledger(contract: TuitionContract, today: date | None = None) -> Ledger:
    """The ledger of one contract (one query for its payments)."""
    payments = contract.payments.values_list("paid_on", "amount")
    return _ledger(contract, list(payments), today or timezone.localdate())


def _ledger(contract: TuitionContract, payments: Iterable[tuple[date, Decimal]], today: date) -> Ledger:
    rate = contract.academic_year.penalty_rate_per_day
    return build_ledger(contract_parts(contract), payments, today, rate)


def ledgers(contracts: QuerySet[TuitionContract], today: date) -> list[tuple[TuitionContract, Ledger]]:
    """The ledgers of many contracts in one query: contracts LEFT JOIN their payments, grouped here.

    Payments are keyed by id, so a filter through a multi-valued relation (which repeats rows)
    cannot count a payment twice."""
    rows = (
        contracts.select_related("academic_year")
        .annotate(payment_id=F("payments__pk"), payment_on=F("payments__paid_on"), payment_amount=F("payments__amount"))
        .order_by("pk", "payments__paid_on", "payments__pk")
    )
    grouped: dict[int, tuple[TuitionContract, dict[int, tuple[date, Decimal]]]] = {}
    for row in rows:
        _contract, payments = grouped.setdefault(row.pk, (row, {}))
        if row.payment_id is not None:
            payments[row.payment_id] = (row.payment_on, row.payment_amount)
    return [(contract, _ledger(contract, payments.values(), today)) for contract, payments in grouped.values()]


def paying_contracts() -> QuerySet[TuitionContract]:
    """Contracts of students on paid study: the only ones AC-18 concerns."""
    return TuitionContract.objects.filter(student__funding=StudentProfile.Funding.PAID)


def statuses(contracts: QuerySet[TuitionContract], today: date) -> dict[int, TuitionStatus]:
    """Each student's status (by student id) over the given contracts, in one query."""
    by_student: dict[int, list[Ledger]] = {}
    for contract, ledger in ledgers(contracts, today):
        by_student.setdefault(contract.student_id, []).append(ledger)
    return {student_id: status_of(items) for student_id, items in by_student.items()}


def tuition_status(student: StudentProfile, today: date | None = None) -> TuitionStatus:
    """AC-18: the student's tuition on `today` (a student with no contract owes nothing)."""
    today = today or timezone.localdate()
    return statuses(paying_contracts().filter(student=student), today).get(student.pk, TuitionStatus())


@dataclass(frozen=True)
class DebtorRow:
    student: StudentProfile
    contracts: tuple[TuitionContract, ...]
    status: TuitionStatus
    days_late: int  # since the oldest due date still unpaid


def _enrolled_contracts(scope: QuerySet[StudyGroup] | None) -> QuerySet[TuitionContract]:
    contracts = paying_contracts().filter(student__status=StudentProfile.Status.ENROLLED)
    return contracts if scope is None else contracts.filter(student__group__in=scope)


def _is_debtor(status: TuitionStatus) -> bool:
    return status.not_admitted_to_classes and status.oldest_overdue_on is not None


def _debtors(today: date, scope: QuerySet[StudyGroup] | None) -> list[DebtorRow]:
    """Enrolled paying students with an overdue principal, in Kazakh alphabetical order (one query)."""
    contracts = _enrolled_contracts(scope).select_related("student__user", "student__group")
    by_student: dict[int, list[tuple[TuitionContract, Ledger]]] = {}
    for contract, ledger in ledgers(contracts, today):
        by_student.setdefault(contract.student_id, []).append((contract, ledger))
    rows = []
    for items in by_student.values():
        status = status_of(ledger for _c, ledger in items)
        if _is_debtor(status):
            assert status.oldest_overdue_on is not None
            days = (today - status.oldest_overdue_on).days
            rows.append(DebtorRow(items[0][0].student, tuple(c for c, _l in items), status, days))
    rows.sort(key=lambda r: (kazakh_sort_key(r.student.user.last_name), kazakh_sort_key(r.student.user.first_name)))
    return rows


def students_not_admitted(today: date, scope: QuerySet[StudyGroup] | None = None) -> list[DebtorRow]:
    """AC-18: students with a tranche unpaid after its due date: not admitted to classes."""
    return _debtors(today, scope)


def students_due_for_expulsion(today: date, scope: QuerySet[StudyGroup] | None = None) -> list[DebtorRow]:
    """AC-18: students with a tranche unpaid for more than a month after its due date."""
    return [row for row in _debtors(today, scope) if row.status.due_for_expulsion]


def debtor_counts(today: date, scope: QuerySet[StudyGroup] | None = None) -> tuple[int, int]:
    """AC-18: how many students each of the two lists above holds, without loading the students, their
    users and groups (the registrar's board shows only the numbers); one query."""
    debtors = [status for status in statuses(_enrolled_contracts(scope), today).values() if _is_debtor(status)]
    return len(debtors), sum(status.due_for_expulsion for status in debtors)


# Use cases: the registrar registers contracts and records payments.


def can_manage_tuition(user: User, student: StudentProfile | None = None) -> bool:
    """The registrar (over the student's group, when one is given) or a superuser."""
    if user.is_superuser:
        return True
    if student is None:
        return Role.REGISTRAR in user_roles(user)
    return holds_role_over_group(user, (Role.REGISTRAR,), student.group)


def _amount(value: object) -> Decimal:
    if isinstance(value, str):
        value = value.strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, ValueError, TypeError):
        raise AcademicsError(_("The amount must be a number of tenge.")) from None
    if not amount.is_finite() or amount <= 0:
        raise AcademicsError(_("The amount must be more than zero."))
    if amount != amount.quantize(rules.TIYN) or amount > MAX_AMOUNT:
        raise AcademicsError(_("The amount must be in tenge and tiyn (at most two decimals)."))
    return amount.quantize(rules.TIYN)


@transaction.atomic
def create_contract(
    registrar: User, student: StudentProfile, year: AcademicYear, amount: object, plan: str, number: str
) -> TuitionContract:
    """AC-18: register a student's tuition contract for an academic year."""
    if not can_manage_tuition(registrar, student):
        raise PermissionDenied
    amount = _amount(amount)
    number = (number or "").strip()
    if not number:
        raise AcademicsError(_("A contract needs its number."))
    if plan not in TuitionContract.Plan.values:
        raise AcademicsError(_("Choose a payment plan."))
    if student.funding != StudentProfile.Funding.PAID:
        raise AcademicsError(_("Only a student on paid study has a tuition contract."))
    if TuitionContract.objects.filter(student=student, academic_year=year).exists():
        raise AcademicsError(_("This student already has a contract for %(year)s.") % {"year": year})
    if TuitionContract.objects.filter(number=number).exists():
        raise AcademicsError(_("Contract number %(number)s is already registered.") % {"number": number})
    contract = TuitionContract(
        student=student, academic_year=year, number=number, amount=amount, plan=plan, created_by=registrar
    )
    contract._history_user = registrar  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:  # the same contract registered at the same moment by someone else
        raise AcademicsError(_("This contract is already registered.")) from None
    return contract


@transaction.atomic
def record_payment(
    registrar: User, contract: TuitionContract, paid_on: date, amount: object, reference: str
) -> TuitionPayment:
    """AC-18: record a payment against a contract from its receipt; overpayment is refused."""
    # Locked, so two payments recorded at once cannot both pass the overpayment check.
    contract = (
        TuitionContract.objects.select_for_update()
        .select_related("academic_year", "student__group")
        .get(pk=contract.pk)
    )
    if not can_manage_tuition(registrar, contract.student):
        raise PermissionDenied
    amount = _amount(amount)
    reference = (reference or "").strip()
    if not reference:
        raise AcademicsError(_("A payment needs its receipt or payment order number."))
    today = timezone.localdate()
    if paid_on > today:
        raise AcademicsError(_("A payment cannot be dated in the future."))
    if contract.payments.filter(reference=reference).exists():
        raise AcademicsError(_("Receipt %(reference)s is already recorded.") % {"reference": reference})
    payments = list(contract.payments.values_list("paid_on", "amount"))
    after = _ledger(contract, [*payments, (paid_on, amount)], today)
    if after.credit > 0:
        raise AcademicsError(
            _("The payment exceeds what is owed: at most %(owed)s KZT (the rest of the contract and the penalty).")
            % {"owed": number_format(amount - after.credit, 2, force_grouping=True)}
        )
    payment = TuitionPayment(
        contract=contract, paid_on=paid_on, amount=amount, reference=reference, recorded_by=registrar
    )
    payment._history_user = registrar  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise AcademicsError(_("Receipt %(reference)s is already recorded.") % {"reference": reference}) from None
    return payment
