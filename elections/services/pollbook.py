"""EL-11, EL-12: the commission's poll book: the ID card check before a paper ballot, and the roll lists.

Regulation 8.5.3 and 8.5.5: the voter shows the university ID card, the commission member marks the
voter in the roll and the voter signs. The number typed from the card must be the one on file.
"""

import re
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from elections.errors import ElectionError
from elections.models import Election, Participation, RollEntry
from elections.permissions import require_commission
from elections.services import voting
from portal.models import StudentProfile, User
from portal.text import kazakh_order


def normalise_document(number: str) -> str:
    """An identity document number as compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", number).upper()


def issue_paper_ballot(
    member: User, election: Election, student: StudentProfile, id_document: str, now: datetime | None = None
) -> Participation:
    """EL-12: issue a paper ballot after checking that the ID card shown is the voter's own: when the
    registrar has the card's number on file, the number typed must match it."""
    require_commission(member, election, deciding=False)
    typed = normalise_document(id_document)
    if not typed:
        raise ElectionError(_("Enter the number of the ID card the voter showed."))
    on_file = normalise_document(student.id_card_number)
    if on_file and typed != on_file:
        raise ElectionError(
            _("The ID card number entered does not match the card on file for %(name)s: check the card again.")
            % {"name": student.user.full_name}
        )
    return voting.issue_paper_ballot(member, election, student, id_document.strip(), now)


def paper_issue(member: User, election: Election, participation_id: int) -> Participation | None:
    """The paper ballot issue whose signature line is printed (commission members only)."""
    require_commission(member, election, deciding=False)
    return (
        Participation.objects.filter(election=election, pk=participation_id, channel=Participation.Channel.PAPER)
        .select_related("student__user", "student__group", "institute", "recorded_by")
        .first()
    )


def roll_entries(election: Election, query: str = "") -> QuerySet[RollEntry]:
    """EL-11: the frozen roll in surname order, optionally narrowed by name, university ID or ID card."""
    rows = RollEntry.objects.filter(election=election).select_related("student__user", "student__group", "institute")
    query = query.strip()
    if query:
        rows = rows.filter(voting.roll_search(query, strict=False))
    return rows.order_by(*kazakh_order("student__user__last_name", "student__user__first_name"), "pk")


def _cell(value: str) -> str:
    # A spreadsheet must not run a cell as a formula (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def roll_csv_rows(rows: QuerySet[RollEntry]) -> Iterator[list[str]]:
    """The roll as CSV rows, header first."""
    yield [
        _("Surname"),
        _("Name"),
        _("Patronymic"),
        _("University ID"),
        _("ID card number"),
        _("Group"),
        _("Institute"),
    ]
    for entry in rows.iterator(chunk_size=2000):
        user = entry.student.user
        yield [
            _cell(v)
            for v in (
                user.last_name,
                user.first_name,
                user.patronymic,
                user.id_code,
                entry.student.id_card_number,
                entry.student.group.name,
                str(entry.institute),
            )
        ]


def eligible_count(election: Election) -> int:
    """EL-11: how many students the roll would hold if it were frozen now."""
    return voting.eligible_voters(election).count()
