"""EL-14: the public receipt check, throttled so that receipt codes cannot be guessed by enumeration.

The counter lives in the shared cache (the database cache, like the login throttle) under a keyed hash
of the address, so neither the cache nor any elections table holds a voter's address. Only codes
that are not found count: a dormitory sharing one address can check its real receipts freely.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from elections.errors import ElectionError
from elections.models import Election
from elections.services import voting

FAILED_CHECKS_ALLOWED = 10
WINDOW_SECONDS = 10 * 60


class TooManyChecks(ElectionError):
    """Too many codes not found from one address: wait before checking again."""


def _key(address: str) -> str:
    return "elections:receipt-misses:" + salted_hmac("elections.receipt-check", address).hexdigest()[:32]


def check_receipt(election: Election, code: str, address: str) -> bool:
    """Whether a ballot with this receipt code is in the count; refused after too many misses."""
    key = _key(address)
    if cache.get(key, 0) >= FAILED_CHECKS_ALLOWED:
        raise TooManyChecks(
            _("Too many codes were not found from your network. Please wait %(minutes)d minutes and try again.")
            % {"minutes": WINDOW_SECONDS // 60}
        )
    found = voting.ballot_in_count(election, code)
    if not found:
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
    return found
