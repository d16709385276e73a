"""Election reminders and announcements (issue 4, item 11; EL-08), each sent once per election, kind and person.

A `Notice` row is unique per (election, kind, user). A sweep inserts the rows for everyone due in one
set-based INSERT ... SELECT ... ON CONFLICT DO NOTHING and notifies exactly the rows that statement
inserted (RETURNING): a second run, or two runs at once, insert nothing new and so send nothing twice
(the unique index makes the later of two concurrent inserts skip what the first one wrote). Django's
`bulk_create(ignore_conflicts=True)` writes the same rows but cannot say which it inserted, hence the
statement is written here. The notice rows and the notifications share one transaction: a sweep that
dies half-way leaves nothing marked as sent.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import rules
from elections.models import Candidate, Election, Notice, Participation, RollEntry
from elections.services.voting import eligible_voters
from portal.models import User
from portal.notifications import notify

Phase = rules.Phase
NOTIFY_CHUNK = 1000

# Reminder kinds (the `Notice.kind` key) and when each is due.
REGISTRATION_3_DAYS = "registration_3d"
REGISTRATION_1_DAY = "registration_1d"
VOTING_OPEN = "voting_open"
VOTING_CLOSING = "voting_closing"
CAMPAIGN_ENDED = "campaign_ended"
CLOSING_REMINDER_BEFORE = timedelta(hours=2)


def send_once(
    election: Election,
    kind: str,
    user_ids: QuerySet,
    subject: str,
    body: str,
    url: str = "",
    now: datetime | None = None,
) -> int:
    """Notify each user of `user_ids` (a queryset of one column of user ids) unless a notice of this kind
    was already sent to them for this election; returns how many were notified now. Set-based: one
    INSERT ... SELECT for the notices, then one query and one insert per thousand recipients."""
    now = now or timezone.now()
    select_sql, select_params = user_ids.order_by().distinct().query.sql_with_params()
    table = connection.ops.quote_name(Notice._meta.db_table)
    # WHERE true: SQLite needs it to tell the SELECT's end from the ON CONFLICT clause.
    sql = (
        f"INSERT INTO {table} (user_id, election_id, kind, sent_at) "
        f"SELECT due.*, %s, %s, %s FROM ({select_sql}) AS due WHERE true "
        "ON CONFLICT DO NOTHING RETURNING user_id"
    )
    params = [election.pk, kind, connection.ops.adapt_datetimefield_value(now), *select_params]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(inserted), NOTIFY_CHUNK):
            chunk = inserted[start : start + NOTIFY_CHUNK]
            notify(User.objects.filter(pk__in=chunk).only("pk", "email"), subject, body, url)
    return len(inserted)


def _campaign_url(election: Election) -> str:
    return reverse("elections:campaign", args=[election.pk])


def tell_candidates_campaign_ended(election: Election, now: datetime) -> int:
    """EL-08: at the start of silence day the registered candidates learn that their material is hidden
    and that nothing new is accepted until the end of election day (once per election and candidate)."""
    if not rules.campaign_blackout(election.schedule, now):
        return 0
    users = Candidate.objects.filter(election=election, status=Candidate.Status.REGISTERED).values("student__user_id")
    return send_once(
        election,
        CAMPAIGN_ENDED,
        users,
        _("Silence day: your campaign material is hidden"),
        _(
            "Campaigning ended at 24:00 on %(last_day)s. On silence day and on election day (%(day)s) campaign "
            "material is hidden and no new material or meeting is accepted."
        )
        % {
            "last_day": (election.schedule.silence_starts_at - timedelta(days=1)).strftime("%d.%m.%Y"),
            "day": election.election_day.strftime("%d.%m.%Y"),
        },
        _campaign_url(election),
        now,
    )


def incomplete_portfolio() -> Q:
    """EL-05: an application still missing part of the portfolio the candidate supplies (photo, CV,
    application of intent, programme, the director's recommendation, uploaded or approved in the portal).
    The transcript is attached by the portal, so it is not the applicant's to complete."""
    return (
        Q(photo="")
        | Q(cv="")
        | Q(intent="")
        | Q(programme="")
        | (Q(recommendation="") & Q(recommended_at__isnull=True))
    )


@dataclass(frozen=True)
class Due:
    kind: str
    user_ids: QuerySet


def _registration_due(election: Election, now: datetime) -> list[Due]:
    """3 days and 1 day before the registration deadline, applicants whose portfolio is incomplete
    (only the nearer reminder if a sweep comes late)."""
    if not rules.registration_open(election.stored_phase, election.schedule, now):
        return []
    closes = election.schedule.registration_closes_at
    applicants = (
        Candidate.objects.filter(election=election, status=Candidate.Status.APPLIED)
        .filter(incomplete_portfolio())
        .values("student__user_id")
    )
    if now >= closes - timedelta(days=2):  # from 00:00 of the day before the deadline
        return [Due(REGISTRATION_1_DAY, applicants)]
    if now >= closes - timedelta(days=4):  # from 00:00 three days before the deadline
        return [Due(REGISTRATION_3_DAYS, applicants)]
    return []


def voters(election: Election) -> QuerySet:
    """EL-11: the voters' user ids: the frozen roll, or the eligible students before it is frozen."""
    if election.roll_frozen_at is not None:
        return RollEntry.objects.filter(election=election).values("student__user_id")
    return eligible_voters(election).values("user_id")


def non_voters(election: Election) -> QuerySet:
    """The voters' user ids without a participation (online or paper) in this election."""
    voted = Participation.objects.filter(election=election).values("student_id")
    if election.roll_frozen_at is not None:
        return RollEntry.objects.filter(election=election).exclude(student_id__in=voted).values("student__user_id")
    return eligible_voters(election).exclude(pk__in=voted).values("user_id")


def _voting_due(election: Election, now: datetime) -> list[Due]:
    """When voting opens, every voter; two hours before it closes, the voters who have not voted."""
    if not rules.voting_open(election.stored_phase, election.schedule, now):
        return []
    if now >= election.schedule.voting_closes_at - CLOSING_REMINDER_BEFORE:
        return [Due(VOTING_CLOSING, non_voters(election))]
    return [Due(VOTING_OPEN, voters(election))]


def _message(election: Election, kind: str) -> tuple[str, str]:
    day = election.election_day.strftime("%d.%m.%Y")
    deadline = election.registration_deadline.strftime("%d.%m.%Y")
    if kind in (REGISTRATION_3_DAYS, REGISTRATION_1_DAY):
        return (
            _("Complete your candidate portfolio by %(deadline)s") % {"deadline": deadline},
            _(
                "Candidate registration for %(election)s closes at the end of %(deadline)s. Your portfolio is "
                "not complete yet: add what is missing so that the commission can review it."
            )
            % {"election": election, "deadline": deadline},
        )
    where = {
        Election.Mode.ONLINE: _("online in the portal"),
        Election.Mode.PAPER: _("at the polling place"),
    }.get(Election.Mode(election.mode), _("online in the portal or at the polling place"))
    if kind == VOTING_OPEN:
        return (
            _("Voting is open: %(election)s") % {"election": election},
            _("Voting is open today, %(day)s, from 09:00 to 18:00, %(where)s.") % {"day": day, "where": where},
        )
    return (
        _("Voting closes at 18:00 today: %(election)s") % {"election": election},
        _("Voting in %(election)s is open until 18:00 today, %(where)s.") % {"election": election, "where": where},
    )


def remind(election: Election, now: datetime | None = None) -> int:
    """Send this election's reminders that are due at `now`; returns how many people were notified."""
    now = now or timezone.now()
    sent = 0
    for due in [*_registration_due(election, now), *_voting_due(election, now)]:
        subject, body = _message(election, due.kind)
        # Voters land on the candidates' page; an applicant's portfolio is on the candidacy's own page.
        url = _campaign_url(election) if due.kind in (VOTING_OPEN, VOTING_CLOSING) else ""
        sent += send_once(election, due.kind, due.user_ids, subject, body, url, now)
    return sent


def send_reminders(now: datetime | None = None, elections: Iterable[Election] | None = None) -> int:
    """The periodic sweep (every 5 minutes): every running election's due reminders, once each."""
    now = now or timezone.now()
    if elections is None:
        running = [Phase.REGISTRATION, Phase.CAMPAIGN, Phase.SILENCE, Phase.VOTING]
        elections = Election.objects.filter(phase__in=[p.name for p in running])
    return sum(remind(election, now) for election in elections)
