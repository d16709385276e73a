"""Academics: the academic calendar and policy, catalogue and enrolment, grades."""

from academics.models.calendar import AcademicYear, Term
from academics.models.catalogue import Discipline, Enrolment, Offering
from academics.models.grades import GradeAmendment, GradeRecord

__all__ = ["AcademicYear", "Discipline", "Enrolment", "GradeAmendment", "GradeRecord", "Offering", "Term"]
