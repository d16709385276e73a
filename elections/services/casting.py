"""EL-12, EL-14: an online ballot in one Postgres statement (issue 4: the casting rate on election day).

`voting.cast_ballot` checks the election and the clock in Python, then calls `write_online_vote`, which
on Postgres checks the voter's roll entry and the choice and writes the participation, its audit row and
the ballot in a single statement (data-modifying CTEs): one round trip where there were eight (the
student, the roll entry, the candidates, BEGIN, three INSERTs, COMMIT), and none of the ORM's per-query
work, which was most of a cast's cost. Nothing changes in what is stored or guaranteed:

- one vote per voter: the participation row still hits the `one_vote_per_voter` unique constraint, and
  the whole statement, ballot included, fails with it (IntegrityError, as before);
- the audit row is the one django-simple-history writes on `Participation.save()`: the same columns,
  `history_type` "+", the voter as `history_user`, the wall-clock time as `history_date`
  (tests/elections/test_voting_casting.py compares the two paths column by column);
- the ballot has no voter, no time and no sequence: a random UUID key and a random receipt code.

Other databases (SQLite in the embedded default) take the ORM path in `voting.cast_ballot`.
"""

from contextlib import nullcontext
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from elections.models import Ballot, Candidate, Election, Participation, RollEntry
from portal.models import StudentProfile, User


@cache
def _statement() -> str:
    """The casting statement, table names from the models. Returns the receipt code, or no row if the
    user is not a student on the roll or the choice is not on the ballot."""
    history = Participation.history.model._meta.db_table
    tracked = "election_id, student_id, institute_id, channel, recorded_at, recorded_by_id, id_document"
    return f"""
WITH voter AS (
    SELECT r.student_id, r.institute_id
    FROM {RollEntry._meta.db_table} r
    JOIN {StudentProfile._meta.db_table} s ON s.id = r.student_id
    WHERE r.election_id = %(election)s AND s.user_id = %(user)s
),
participation AS (
    INSERT INTO {Participation._meta.db_table} ({tracked})
    SELECT %(election)s, student_id, institute_id, %(channel)s, %(now)s, NULL, ''
    FROM voter
    WHERE CASE WHEN %(against)s
        THEN (SELECT count(*) FROM {Candidate._meta.db_table}
              WHERE election_id = %(election)s AND status = %(registered)s) = 1
        ELSE EXISTS (SELECT 1 FROM {Candidate._meta.db_table}
                     WHERE id = %(candidate)s AND election_id = %(election)s AND status = %(registered)s)
    END
    RETURNING id, {tracked}
),
audit AS (
    INSERT INTO {history} (id, {tracked}, history_date, history_change_reason, history_type, history_user_id)
    SELECT id, {tracked}, %(history_date)s, NULL, '+', %(user)s FROM participation
)
INSERT INTO {Ballot._meta.db_table} (id, election_id, candidate_id, against, receipt)
SELECT %(ballot)s, %(election)s, %(candidate)s, %(against)s, %(receipt)s FROM participation
RETURNING receipt
"""


def supported() -> bool:
    """Whether the database runs the single statement (data-modifying CTEs: Postgres)."""
    return connection.vendor == "postgresql"


def write_online_vote(
    user: User, election: Election, candidate_id: int | None, against: bool, now: datetime
) -> str | None:
    """Write the participation, its audit row and the ballot, after checking in the same statement that
    `user` is a student on the election's roll and that the choice is on the ballot (a registered
    candidate of this election, or "against" with a single one). Returns the receipt code, or None when
    a check fails and nothing was written; raises IntegrityError for a second vote."""
    ballot = Ballot(election=election, candidate_id=candidate_id, against=against)  # the random key and receipt
    params: dict[str, Any] = {
        "election": election.pk,
        "user": user.pk,
        "channel": Participation.Channel.ONLINE.value,
        "now": now,
        "against": against,
        "candidate": candidate_id,
        "registered": Candidate.Status.REGISTERED.value,
        "history_date": timezone.now(),
        "ballot": ballot.pk,
        "receipt": ballot.receipt,
    }
    # In autocommit mode the statement is a transaction of its own (no BEGIN and COMMIT round trips);
    # inside a caller's transaction a savepoint keeps a refused second vote from aborting it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        row = cursor.fetchone()
    return row[0] if row else None
