"""Settings for `make bench`: the portal's own, with allauth's per-address limit on logins raised.

allauth limits *successful* logins to 30 a minute per address (its default "login" rate, which
portal/settings.py keeps). Every wrk connection comes from 127.0.0.1, so the logins/s run would be
answered with 429s. The limiter still runs on every login (cache lock, read, write); only the rate
changes, and a one-second window keeps its stored history as short as in production.
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import ACCOUNT_RATE_LIMITS

ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": os.environ.get("BENCH_LOGIN_RATE", "10000/s/ip")}
