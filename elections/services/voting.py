"""EL-11 to EL-15, EL-20: the voter roll, online ballots, the paper poll book, turnout and the online tally.

One vote per voter is settled by the database: `Participation` is unique per voter and election,
and a ballot is written in the same transaction as the participation, so a second request, from
another tab or on paper, fails on the constraint and its ballot is rolled back with it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.errors import ElectionError
from elections.models import Ballot, Candidate, Election, Participation, RollEntry
from elections.permissions import require_commission
from elections.services import casting
from portal.models import StudentProfile, User
from portal.text import kazakh_order

AGAINST = "against"


def eligible_voters(election: Election) -> QuerySet[StudentProfile]:
    """EL-11: enrolled students of the study levels the election lets vote."""
    return StudentProfile.objects.filter(
        status=StudentProfile.Status.ENROLLED, group__programme__level__in=election.voter_levels
    )


def freeze_roll(election: Election, now: datetime) -> int:
    """EL-11: write the voter roll once, when voting opens; later changes of enrolment do not alter it.
    Called under the election's row lock (`calendar.sync_phase`)."""
    if election.roll_frozen_at is not None:
        return 0
    rows = eligible_voters(election).values_list("pk", "group__programme__department__institute_id")
    RollEntry.objects.bulk_create(
        (RollEntry(election=election, student_id=pk, institute_id=institute) for pk, institute in rows.iterator()),
        batch_size=2000,
        ignore_conflicts=True,
    )
    election.roll_frozen_at = now
    election._history_user = None  # type: ignore[attr-defined]
    election.save(update_fields=["roll_frozen_at"])
    return RollEntry.objects.filter(election=election).count()


def _open_for_voting(election: Election, now: datetime) -> Election:
    """Refuse unless the clock says voting is open (EL-01); make sure the roll is frozen first."""
    if not rules.voting_open(election.stored_phase, election.schedule, now):
        if now < election.schedule.voting_opens_at:
            raise ElectionError(
                _("Voting has not begun: it opens on %(day)s at %(time)s.")
                % {"day": election.election_day.strftime("%d.%m.%Y"), "time": election.voting_opens.strftime("%H:%M")}
            )
        if now >= election.schedule.voting_closes_at:
            raise ElectionError(
                _("Voting is closed: it ended at %(time)s on election day.")
                % {"time": election.voting_closes.strftime("%H:%M")}
            )
        raise ElectionError(_("Voting is not open: the candidate list of this election has not been published."))
    if election.roll_frozen_at is None:
        from elections.services.calendar import sync_phase

        sync_phase(election, now)
        election.refresh_from_db()
    return election


def _roll_entry(election: Election, student: StudentProfile) -> RollEntry:
    entry = RollEntry.objects.filter(election=election, student=student).first()
    if entry is None:
        raise ElectionError(_("This student is not on the voter roll of this election."))
    return entry


def ballot_choices(election: Election) -> list[Candidate]:
    """EL-13: the registered candidates in the Kazakh alphabet's order of surname, name, patronymic."""
    candidates = list(
        election.candidates.filter(status=Candidate.Status.REGISTERED).select_related("student__user", "student__group")
    )
    return sorted(candidates, key=lambda c: rules.kazakh_sort_key(c.student.user.full_name))


def _choice(election: Election, choice: str) -> tuple[int | None, bool]:
    """The chosen candidate's id (None for "against") and whether the ballot is against: one query, ids only."""
    ids = election.candidates.filter(status=Candidate.Status.REGISTERED).values_list("pk", flat=True)
    registered = {str(pk): pk for pk in ids}
    if choice == AGAINST:
        if len(registered) != 1:
            raise ElectionError(_("'Against' is on the ballot only when there is a single candidate."))
        return None, True
    candidate_id = registered.get(choice)
    if candidate_id is None:
        raise ElectionError(_("Choose one of the candidates on the ballot."))
    return candidate_id, False


def _candidate_id(choice: str) -> int | None:
    """The candidate id a ballot form sends, or None if `choice` is not one written as the form writes
    it (a positive bigint, no leading zero), as the ORM path compares them."""
    if not (choice.isascii() and choice.isdigit()):
        return None
    number = int(choice)
    return number if str(number) == choice and 0 < number < 2**63 else None


def _cast_in_one_statement(user: User, election: Election, choice: str, now: datetime) -> str | None:
    """The receipt, or None when the statement wrote nothing (the ORM path then says why)."""
    against = choice == AGAINST
    candidate_id = None if against else _candidate_id(choice)
    if not against and candidate_id is None:
        return None
    return casting.write_online_vote(user, election, candidate_id, against, now)


def _cast_with_orm(user: User, election: Election, choice: str, now: datetime) -> str:
    student = getattr(user, "student", None)
    if student is None:
        raise ElectionError(_("Only students vote in Student Government elections."))
    entry = _roll_entry(election, student)
    candidate_id, against = _choice(election, choice)
    with transaction.atomic():
        participation = Participation(
            election=election,
            student=student,
            institute_id=entry.institute_id,
            channel=Participation.Channel.ONLINE,
            recorded_at=now,
        )
        participation._history_user = user  # type: ignore[attr-defined]
        participation.save()
        ballot = Ballot.objects.create(election=election, candidate_id=candidate_id, against=against)
    return ballot.receipt


def cast_ballot(user: User, election: Election, choice: str, now: datetime | None = None) -> str:
    """EL-12, EL-14: the signed-in student casts one secret ballot; returns its receipt code.

    `choice` is a registered candidate's id, or "against" when there is a single candidate (EL-07).
    On Postgres, the voter's and the choice's checks and the three writes (participation, its audit
    row, ballot) are one statement (`casting`, issue 4); when it writes nothing, or on another database,
    the ORM path casts or refuses with the reason.
    """
    now = now or timezone.now()
    if not election.online:
        raise ElectionError(_("This election is held on paper only: vote at the polling place."))
    election = _open_for_voting(election, now)
    try:
        receipt = _cast_in_one_statement(user, election, choice, now) if casting.supported() else None
        return receipt or _cast_with_orm(user, election, choice, now)
    except IntegrityError:
        raise ElectionError(_("You have already voted in this election; a ballot cannot be changed.")) from None


def roll_search(query: str, *, strict: bool) -> Q:
    """EL-11, EL-12: roll entries matching the query: an ID card number or university ID, or every word in
    a part of the name. Strict (the poll book, where a voter stands at the desk): the IDs exactly and the
    names by their start; otherwise (the roll page): the IDs in any case and the words anywhere."""
    ids, words = ("exact", "istartswith") if strict else ("iexact", "icontains")
    q = Q(**{f"student__id_card_number__{ids}": query}) | Q(**{f"student__user__id_code__{ids}": query})
    by_name = Q()
    for word in query.split():
        by_name &= (
            Q(**{f"student__user__last_name__{words}": word})
            | Q(**{f"student__user__first_name__{words}": word})
            | Q(**{f"student__user__patronymic__{words}": word})
        )
    return q | by_name


def find_voters(election: Election, query: str, limit: int = 20) -> list[tuple[RollEntry, Participation | None]]:
    """EL-12: the poll book search by ID card number, university ID or name, with whether each voted."""
    query = query.strip()
    if len(query) < 2:
        return []
    q = roll_search(query, strict=True)
    entries = list(
        RollEntry.objects.filter(election=election)
        .filter(q)
        .select_related("student__user", "student__group", "institute")
        .order_by(*kazakh_order("student__user__last_name", "student__user__first_name"))[:limit]
    )
    voted = {
        p.student_id: p
        for p in Participation.objects.filter(election=election, student_id__in=[e.student_id for e in entries])
    }
    return [(e, voted.get(e.student_id)) for e in entries]


def issue_paper_ballot(
    member: User, election: Election, student: StudentProfile, id_document: str, now: datetime | None = None
) -> Participation:
    """EL-12: a commission member checks the voter's identity document, marks the roll and hands out a
    paper ballot; the voter signs the printed line. The voter can no longer vote online, and a voter who
    voted online gets no paper ballot."""
    now = now or timezone.now()
    require_commission(member, election, deciding=False)
    if not election.paper:
        raise ElectionError(_("This election is held online only: there are no paper ballots."))
    election = _open_for_voting(election, now)
    if not id_document.strip():
        raise ElectionError(_("Enter the number of the identity document you checked."))
    entry = _roll_entry(election, student)
    try:
        with transaction.atomic():
            participation = Participation(
                election=election,
                student=student,
                institute_id=entry.institute_id,
                channel=Participation.Channel.PAPER,
                recorded_at=now,
                recorded_by=member,
                id_document=id_document.strip()[:50],
            )
            participation._history_user = member  # type: ignore[attr-defined]
            participation.save()
    except IntegrityError:
        earlier = Participation.objects.get(election=election, student=student)
        raise ElectionError(
            _("%(name)s has already voted (%(channel)s): no paper ballot may be issued.")
            % {"name": student.user.full_name, "channel": earlier.get_channel_display()}
        ) from None
    return participation


def has_voted(election: Election, student: StudentProfile) -> bool:
    return Participation.objects.filter(election=election, student=student).exists()


@dataclass(frozen=True)
class InstituteTurnout:
    institute: str
    voters: int
    voted: int

    @property
    def percent(self) -> float:
        return round(100 * self.voted / self.voters, 1) if self.voters else 0.0


@dataclass(frozen=True)
class Turnout:
    voters: int
    voted: int
    online: int
    paper: int
    by_institute: list[InstituteTurnout]
    by_hour: list[tuple[datetime, int]]

    @property
    def percent(self) -> float:
        return round(100 * self.voted / self.voters, 1) if self.voters else 0.0


def turnout(election: Election) -> Turnout:
    """EL-20: who has voted, overall, per institute and per hour; never what anyone chose. Four queries."""
    from portal.models import Institute

    roll = dict(
        RollEntry.objects.filter(election=election).values_list("institute_id").annotate(n=Count("pk")).order_by()
    )
    voted_rows = (
        Participation.objects.filter(election=election)
        .values_list("institute_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    voted: dict[int, int] = {}
    channels = {Participation.Channel.ONLINE.value: 0, Participation.Channel.PAPER.value: 0}
    for institute_id, channel, n in voted_rows:
        voted[institute_id] = voted.get(institute_id, 0) + n
        channels[channel] += n
    names = {i.pk: str(i) for i in Institute.objects.filter(pk__in=set(roll) | set(voted))}
    by_institute = sorted(
        (InstituteTurnout(names.get(pk, "?"), roll.get(pk, 0), voted.get(pk, 0)) for pk in set(roll) | set(voted)),
        key=lambda row: row.institute,
    )
    by_hour = list(
        Participation.objects.filter(election=election)
        .annotate(hour=TruncHour("recorded_at", tzinfo=rules.ALMATY))
        .values_list("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    return Turnout(
        voters=sum(roll.values()),
        voted=sum(voted.values()),
        online=channels[Participation.Channel.ONLINE],
        paper=channels[Participation.Channel.PAPER],
        by_institute=by_institute,
        by_hour=by_hour,
    )


@dataclass(frozen=True)
class OnlineTally:
    votes: dict[int, int]
    against: int
    ballots: int


def online_tally(election: Election, now: datetime | None = None) -> OnlineTally:
    """EL-15: the online ballots counted, only once voting has closed (no partial results, EL-20)."""
    now = now or timezone.now()
    if election.phase_at(now) < rules.Phase.COUNTING:
        raise ElectionError(
            _("No result is shown before voting closes at %(time)s.")
            % {"time": election.voting_closes.strftime("%H:%M")}
        )
    rows = Ballot.objects.filter(election=election).values_list("candidate_id", "against").annotate(n=Count("pk"))
    votes = {c.pk: 0 for c in election.candidates.filter(status=Candidate.Status.REGISTERED)}
    against = 0
    for candidate_id, is_against, n in rows.order_by():
        if is_against:
            against += n
        else:
            votes[candidate_id] = votes.get(candidate_id, 0) + n
    return OnlineTally(votes=votes, against=against, ballots=sum(votes.values()) + against)


def ballot_in_count(election: Election, receipt: str) -> bool:
    """EL-14: the public receipt check says only whether a ballot with this code is in the count."""
    code = receipt.strip().upper().replace(" ", "")
    if len(code) == 12 and "-" not in code:
        code = "-".join(code[i : i + 4] for i in range(0, 12, 4))
    return Ballot.objects.filter(election=election, receipt=code).exists()


def scrub_ballot_order(election: Election) -> None:
    """EL-14: once voting is over, leave nothing in the ballot table's storage that follows the order of
    casting, which the participations' times would reveal:
    - Postgres: rewrite every row in one statement, so that no row keeps the transaction id it was
      written in (xmin, shared with the voter's participation row), then store the table in the order
      of the random keys (CLUSTER), so that the rows' physical order is not the order of casting;
    - SQLite: write the election's rows again in the order of their random keys, so that the hidden
      rowid no longer counts the ballots in the order they were cast.
    """
    table = Ballot._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET receipt = receipt WHERE election_id = %s", [election.pk])
            # CLUSTER refuses to run while deferred foreign-key checks of this transaction are pending:
            # run them now, then defer them again as Django expects.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"CLUSTER {table} USING {table}_pkey")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TEMP TABLE scrubbed_ballots AS SELECT * FROM {table} WHERE election_id = %s", [election.pk]
            )
            cursor.execute(f"DELETE FROM {table} WHERE election_id = %s", [election.pk])
            cursor.execute(f"INSERT INTO {table} SELECT * FROM scrubbed_ballots ORDER BY id")
            cursor.execute("DROP TABLE scrubbed_ballots")
