"""Academics: the academic calendar and policy, catalogue and enrolment, grades, transfer decisions."""

from academics.models.attendance import AttendanceMark, ClassSession, MidtermRetakePermission
from academics.models.calendar import AcademicYear, Term
from academics.models.catalogue import Discipline, Enrolment, Offering
from academics.models.decisions import TransferDecision, TransferRun
from academics.models.differences import AcademicDifference
from academics.models.grades import AppealGround, GradeAmendment, GradeRecord
from academics.models.recognition import NonformalRecognition, ProgrammeCredits
from academics.models.records import Sanction
from academics.models.summer import SummerApplication
from academics.models.tuition import TuitionContract, TuitionPayment

__all__ = [
    "AcademicDifference",
    "AcademicYear",
    "AppealGround",
    "AttendanceMark",
    "ClassSession",
    "Discipline",
    "Enrolment",
    "GradeAmendment",
    "GradeRecord",
    "MidtermRetakePermission",
    "NonformalRecognition",
    "Offering",
    "ProgrammeCredits",
    "Sanction",
    "SummerApplication",
    "Term",
    "TransferDecision",
    "TransferRun",
    "TuitionContract",
    "TuitionPayment",
]
