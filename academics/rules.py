"""Pure academic rules (AC-*): plain values in, plain values out; no ORM, no I/O.

Rounding (AC-05), the one rule applied everywhere: a fractional final percentage is rounded to a
whole percent, halves up (89.5 -> 90 -> A-; 89.49 -> 89 -> B+), and only then looked up in the
letter scale. The unrounded percentage is what `final_percentage` returns and what is stored.
GPA values are rounded to two decimals, halves up.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int | str

HUNDRED = Decimal(100)
MIDTERM_WEIGHT = Decimal("0.6")
EXAM_WEIGHT = Decimal("0.4")

# AC-05: (lowest whole percent, letter, points), from the top of the scale down.
LETTER_SCALE: tuple[tuple[int, str, Decimal], ...] = (
    (95, "A", Decimal("4.0")),
    (90, "A-", Decimal("3.67")),
    (85, "B+", Decimal("3.33")),
    (80, "B", Decimal("3.0")),
    (75, "B-", Decimal("2.67")),
    (70, "C+", Decimal("2.33")),
    (65, "C", Decimal("2.0")),
    (60, "C-", Decimal("1.67")),
    (55, "D+", Decimal("1.33")),
    (50, "D", Decimal("1.0")),
    (25, "FX", Decimal("0.5")),
    (0, "F", Decimal("0")),
)


@dataclass(frozen=True)
class Policy:
    """The rule parameters an Academic Council may revise yearly (AC-12); handbook values by default."""

    version: str = "handbook"
    transfer_thresholds: Mapping[int, Decimal] = field(
        default_factory=lambda: {2: Decimal("1.67"), 3: Decimal("2.00"), 4: Decimal("2.20")}
    )


HANDBOOK = Policy()


def parse_score(value: Number, name: str = "score") -> Decimal:
    """AC-03: a component score, a number from 0 to 100 (ValueError otherwise)."""
    try:
        score = Decimal(value)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ValueError(f"{name} must be a number from 0 to 100") from exc
    if not score.is_finite() or not Decimal(0) <= score <= HUNDRED:
        raise ValueError(f"{name} must be a number from 0 to 100")
    return score


def final_percentage(r1: Number, r2: Number, exam: Number) -> Decimal:
    """AC-04: (R1 + R2) / 2 x 0.6 + E x 0.4, unrounded; each score 0-100 (an exam no-show is 0, AC-08)."""
    r1, r2, exam = parse_score(r1, "R1"), parse_score(r2, "R2"), parse_score(exam, "exam")
    return (r1 + r2) / 2 * MIDTERM_WEIGHT + exam * EXAM_WEIGHT


def round_percent(percent: Number) -> int:
    """AC-05: the documented rounding, to a whole percent, halves up."""
    return int(parse_score(percent, "percentage").quantize(Decimal(1), rounding=ROUND_HALF_UP))


def letter_grade(percent: Number) -> tuple[str, Decimal]:
    """AC-05: the letter and its points for a final percentage (rounded first, see the module doc)."""
    whole = round_percent(percent)
    for lowest, letter, points in LETTER_SCALE:
        if whole >= lowest:
            return letter, points
    raise AssertionError("unreachable: the scale starts at 0")


def gpa(pairs: Iterable[tuple[Number, Number]]) -> Decimal:
    """AC-11: sum(points x credits) / sum(credits), two decimals; 0 when there are no credits."""
    weighted = Decimal(0)
    credits = Decimal(0)
    for points, credit in pairs:
        weighted += Decimal(points) * Decimal(credit)
        credits += Decimal(credit)
    if credits == 0:
        return Decimal("0.00")
    return (weighted / credits).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def transfer_threshold(to_year: int, policy: Policy | None = None) -> Decimal:
    """AC-12: the GPA needed to move up to `to_year`; years past the table use its last threshold."""
    thresholds = (policy or HANDBOOK).transfer_thresholds
    if to_year < 2:
        raise ValueError("transfer applies to year 2 and above")
    if to_year in thresholds:
        return thresholds[to_year]
    return thresholds[max(y for y in thresholds if y <= to_year)]
