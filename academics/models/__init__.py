"""Academics: the academic calendar and policy, catalogue and enrolment, grades, transfer decisions."""

from academics.models.attendance import AttendanceMark, ClassSession, MidtermRetakePermission
from academics.models.calendar import AcademicYear, Term
from academics.models.catalogue import Discipline, Enrolment, Offering
from academics.models.decisions import TransferDecision, TransferRun
from academics.models.grades import AppealGround, GradeAmendment, GradeRecord
from academics.models.records import Sanction

__all__ = [
    "AcademicYear",
    "AppealGround",
    "AttendanceMark",
    "ClassSession",
    "Discipline",
    "Enrolment",
    "GradeAmendment",
    "GradeRecord",
    "MidtermRetakePermission",
    "Offering",
    "Sanction",
    "Term",
    "TransferDecision",
    "TransferRun",
]
