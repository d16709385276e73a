"""Kazakh alphabetical order (А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я).

Code-point order puts Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я; people lists must not. Cyrillic comes
before Latin. In the database: Postgres's ICU collation "kk-x-icu"; SQLite gets the same order from
`kazakh_sort_key` through a registered collation, so `kazakh_order` works on both.
"""

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F, OrderBy
from django.db.models.functions import Collate
from django.dispatch import receiver

ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
_RANK = {letter: i for i, letter in enumerate(ALPHABET)}
_LATIN_BASE = len(ALPHABET) + 1
SQLITE_COLLATION = "kazakh"
POSTGRES_COLLATION = "kk-x-icu"


def kazakh_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """A sort key that orders by the Kazakh Cyrillic alphabet, case-insensitively; Latin after Cyrillic."""
    key = []
    for ch in text.upper():
        if ch in _RANK:
            key.append((0, _RANK[ch]))
        elif ch.isalpha():
            key.append((1, _LATIN_BASE + ord(ch)))
        else:  # spaces and punctuation sort before letters, so "Ким Роман" < "Кимов"
            key.append((-1, ord(ch)))
    return tuple(key)


def _sqlite_collate(a: str, b: str) -> int:
    ka, kb = kazakh_sort_key(a), kazakh_sort_key(b)
    return (ka > kb) - (ka < kb)


@receiver(connection_created)
def _register_sqlite_collation(sender: object, connection: object, **kwargs: object) -> None:
    if getattr(connection, "vendor", "") == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_collate)  # type: ignore[attr-defined]


def kazakh_order(*fields: str) -> list[OrderBy]:
    """order_by() arguments sorting the given text fields in Kazakh alphabetical order."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return [Collate(F(f), name).asc() for f in fields]
