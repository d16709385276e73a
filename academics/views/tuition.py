"""Tuition ledger pages (AC-18): the registrar's contracts and payments, the debtor lists, a student's own page."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from academics.errors import AcademicsError
from academics.forms import ContractForm, PaymentForm
from academics.models import TuitionContract, TuitionPayment
from academics.services import tuition
from portal.models import Role, StudentProfile, StudyGroup, User
from portal.permissions import groups_in_scope, holds_role_over_group, request_user, user_roles
from portal.text import kazakh_order

# The registrar manages contracts and payments; a dean reads the debtor lists of their institute.
LIST_VIEWERS = (Role.REGISTRAR, Role.DEAN)
STUDENT_PAGE_VIEWERS = (Role.REGISTRAR, Role.DEAN)
PER_PAGE = 25
STUDENT_DETAIL = "student__group__programme__department__institute"


def _scope(user: User, roles: tuple[str, ...]) -> QuerySet[StudyGroup] | None:
    """The groups the user's `roles` cover (None: all, for a superuser); 403 without any of the roles."""
    if user.is_superuser:
        return None
    if not set(roles) & user_roles(user):
        raise PermissionDenied
    return groups_in_scope(user, roles)


def _require_registrar(user: User) -> QuerySet[StudyGroup] | None:
    return _scope(user, (Role.REGISTRAR,))


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """The registrar's contracts, searchable by the student's name or ID code and by contract number."""
    scope = _require_registrar(request_user(request))
    contracts = TuitionContract.objects.select_related("student__user", "student__group", "academic_year")
    if scope is not None:
        contracts = contracts.filter(student__group__in=scope)
    query = request.GET.get("q", "").strip()
    for word in query.split()[:5]:
        contracts = contracts.filter(
            Q(student__user__last_name__icontains=word)
            | Q(student__user__first_name__icontains=word)
            | Q(student__user__id_code__icontains=word)
            | Q(number__icontains=word)
        )
    contracts = contracts.order_by(
        "-academic_year__start_year", *kazakh_order("student__user__last_name", "student__user__first_name"), "pk"
    )
    page = Paginator(contracts, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    on_page = TuitionContract.objects.filter(pk__in=[c.pk for c in page])
    by_pk = {contract.pk: ledger for contract, ledger in tuition.ledgers(on_page, today)}
    rows = [(contract, by_pk[contract.pk]) for contract in page]
    return render(request, "academics/tuition/contract_list.html", {"page": page, "rows": rows, "query": query})


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _require_registrar(user)
    if request.method == "POST":
        form = ContractForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contract = tuition.create_contract(
                    user, data["student"], data["academic_year"], data["amount"], data["plan"], data["number"]
                )
            except AcademicsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Contract %(number)s registered for %(student)s.")
                    % {"number": contract.number, "student": contract.student.user.full_name},
                )
                return redirect("academics:tuition_contract", pk=contract.pk)
    else:
        form = ContractForm(initial={"student": request.GET.get("student", ""), "plan": TuitionContract.Plan.TRANCHES})
    return render(request, "academics/tuition/contract_form.html", {"form": form})


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract's schedule, payments and penalty, and the form to record a payment."""
    user = request_user(request)
    contract = get_object_or_404(
        TuitionContract.objects.select_related(STUDENT_DETAIL, "student__user", "academic_year", "created_by"),
        pk=pk,
    )
    if not tuition.can_manage_tuition(user, contract.student):
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        form = PaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = tuition.record_payment(user, contract, data["paid_on"], data["amount"], data["reference"])
            except AcademicsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _confirmation(payment))
                url = reverse("academics:tuition_contract", args=[contract.pk])
                return redirect(f"{url}?recorded={payment.pk}")
    else:
        form = PaymentForm(initial={"paid_on": today})
    ledger = tuition.contract_ledger(contract, today)
    context = {
        "contract": contract,
        "ledger": ledger,
        "status": tuition.status_of([ledger]),
        "payments": contract.payments.select_related("recorded_by"),
        "form": form,
        "recorded": request.GET.get("recorded", ""),
        "today": today,
    }
    return render(request, "academics/tuition/contract.html", context)


def _confirmation(payment: TuitionPayment) -> str:
    return _("Payment recorded: %(amount)s KZT paid on %(date)s, receipt %(reference)s.") % {
        "amount": number_format(payment.amount, 2, force_grouping=True),
        "date": date_format(payment.paid_on, "SHORT_DATE_FORMAT"),
        "reference": payment.reference,
    }


def _debtors(request: HttpRequest, expulsion: bool) -> tuple[list[tuition.DebtorRow], date]:
    scope = _scope(request_user(request), LIST_VIEWERS)
    today = timezone.localdate()
    if expulsion:
        return tuition.students_due_for_expulsion(today, scope), today
    return tuition.students_not_admitted(today, scope), today


def _debtor_page(request: HttpRequest, expulsion: bool) -> HttpResponse:
    rows, today = _debtors(request, expulsion)
    context = {
        "rows": rows,
        "today": today,
        "expulsion": expulsion,
        "can_manage": tuition.can_manage_tuition(request_user(request)),
        "total_overdue": sum((r.status.overdue for r in rows), tuition.ZERO),
        "total_penalty": sum((r.status.penalty for r in rows), tuition.ZERO),
    }
    return render(request, "academics/tuition/debtors.html", context)


def _debtor_csv(request: HttpRequest, expulsion: bool) -> HttpResponse:
    rows, today = _debtors(request, expulsion)
    name = "expulsion" if expulsion else "not-admitted"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tuition-{name}-{today:%Y-%m-%d}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Cyrillic names as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("ID code"),
            _("Student"),
            _("Study group"),
            _("Contracts"),
            _("Overdue, KZT"),
            _("Penalty, KZT"),
            _("Unpaid since"),
            _("Days late"),
        ]
    )
    for row in rows:
        oldest = row.status.oldest_overdue_on
        writer.writerow(
            [
                row.student.user.id_code,
                row.student.user.full_name,
                row.student.group.name,
                "; ".join(c.number for c in row.contracts),
                f"{row.status.overdue:.2f}",
                f"{row.status.penalty:.2f}",
                oldest.isoformat() if oldest else "",
                row.days_late,
            ]
        )
    return response


@login_required
def not_admitted_page(request: HttpRequest) -> HttpResponse:
    """AC-18: students not admitted to classes (a tranche unpaid after its due date)."""
    return _debtor_page(request, expulsion=False)


@login_required
def not_admitted_csv(request: HttpRequest) -> HttpResponse:
    return _debtor_csv(request, expulsion=False)


@login_required
def expulsion_page(request: HttpRequest) -> HttpResponse:
    """AC-18: students listed for expulsion (a tranche unpaid for more than a month)."""
    return _debtor_page(request, expulsion=True)


@login_required
def expulsion_csv(request: HttpRequest) -> HttpResponse:
    return _debtor_csv(request, expulsion=True)


@login_required
def student_tuition(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """A student's own tuition (schedule, payments, debt, next due date); the registrar and dean in scope too."""
    user = request_user(request)
    profiles = StudentProfile.objects.select_related("user", "group__programme__department__institute")
    if student_id is None:
        student = get_object_or_404(profiles, user=user)
    else:
        student = get_object_or_404(profiles, pk=student_id)
        if student.user_id != user.pk and not (
            user.is_superuser or holds_role_over_group(user, STUDENT_PAGE_VIEWERS, student.group)
        ):
            raise PermissionDenied
    today = timezone.localdate()
    items = tuition.ledgers(TuitionContract.objects.filter(student=student), today)
    items.sort(key=lambda item: -item[0].academic_year.start_year)
    payments: dict[int, list[TuitionPayment]] = {}
    for payment in TuitionPayment.objects.filter(contract__student=student).order_by("paid_on", "pk"):
        payments.setdefault(payment.contract_id, []).append(payment)
    context = {
        "student": student,
        "contracts": [(contract, ledger, payments.get(contract.pk, [])) for contract, ledger in items],
        "status": tuition.status_of(ledger for _c, ledger in items),
        "can_manage": tuition.can_manage_tuition(user, student),
        "today": today,
    }
    return render(request, "academics/tuition/student.html", context)
