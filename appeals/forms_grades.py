"""Forms of the grade-appeal, higher-appeal and escalation pages (AP-14, AP-18, AP-20, AP-22). They parse
input only: the services decide."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from academics.models import AppealGround, Enrolment, GradeRecord
from appeals import rules
from appeals.models import Kind, Level
from appeals.services.grades import MAX_QUESTION
from portal.models import StudentProfile, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_ROWS = {"rows": 5}
ATTACHMENT_HELP = _("PDF, JPEG or PNG; optional.")


def _text(label: "StrOrPromise", required: bool = True, help_text: "StrOrPromise" = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=rules.MAX_TEXT_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )


class EnrolmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        grade = obj.grade
        return f"{obj.offering.discipline.name} · {obj.offering.term} · {grade.letter} ({grade.final_percent:.0f}%)"


class GradeAppealForm(forms.Form):
    """AP-18: the discipline, the question number, the AC-22 ground and the explanation."""

    enrolment = EnrolmentChoice(
        queryset=Enrolment.objects.none(), label=_("Discipline"), empty_label=_("Choose the discipline")
    )
    question_number = forms.IntegerField(label=_("Question number"), min_value=1, max_value=MAX_QUESTION)
    ground = forms.ChoiceField(label=_("Ground"), choices=AppealGround.choices, widget=forms.RadioSelect)
    text = _text(_("What is wrong with the question"), help_text=_("Quote the question and explain the ground."))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)

    def __init__(self, *args: object, enrolments: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrolment"].queryset = enrolments  # type: ignore[attr-defined]
        self.fields["enrolment"].help_text = _("Only grades whose exam statement is signed can be appealed.")


class ForwardForm(forms.Form):
    """AP-18: the dean forwards the appeal to the head of department."""

    head = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Head of department"), empty_label=None)

    def __init__(self, *args: object, heads: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["head"].queryset = User.objects.filter(pk__in=[h.pk for h in heads])  # type: ignore[attr-defined]


class UpholdForm(forms.Form):
    """AP-18, AC-23: the new scores (empty keeps the current one) and the answer to the student."""

    r1 = forms.CharField(label=_("Midterm 1 (R1)"), required=False, max_length=10)
    r2 = forms.CharField(label=_("Midterm 2 (R2)"), required=False, max_length=10)
    exam = forms.CharField(label=_("Final exam"), required=False, max_length=10)
    answer = _text(_("Answer to the student"))

    def __init__(self, *args: object, grade: GradeRecord | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("r1", "r2", "exam"):
            current = getattr(grade, name, None)
            if current is not None:
                self.fields[name].widget.attrs["placeholder"] = f"{current.normalize():f}"


class HearingForm(forms.Form):
    """AP-22: the intended refusal and its grounds, sent to the student before the decision."""

    intended = _text(_("Intended decision and its grounds"))


class RefuseForm(forms.Form):
    answer = _text(_("Answer to the student"))


class HigherAppealForm(forms.Form):
    """AP-14: the appeal, and the reason for the delay when the 3 months have passed."""

    text = _text(_("Your appeal"), help_text=_("What you disagree with and why."))
    delay_reason = _text(_("Reason for the delay"), required=False)

    def __init__(self, *args: object, late: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not late:  # asked for only when the three months have passed
            del self.fields["delay_reason"]


class AdvisorPassForm(forms.Form):
    """AP-20: the student's complaint or proposal, passed on by their advisor."""

    student = forms.ModelChoiceField(
        queryset=StudentProfile.objects.none(), label=_("Student"), empty_label=_("Choose the student")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Kind.COMPLAINT, Kind.COMPLAINT.label), (Kind.PROPOSAL, Kind.PROPOSAL.label)],
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = _text(_("The student's complaint or proposal"))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)

    def __init__(self, *args: object, students: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["student"].queryset = students  # type: ignore[attr-defined]


class EscalateForm(forms.Form):
    """AP-20: the level and its official to pass the case to, and why."""

    target = forms.ChoiceField(label=_("Pass to"))
    reason = _text(_("Reason"))

    def __init__(self, *args: object, targets: list[tuple[Level, list[User]]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (f"{int(level)}:{person.pk}", f"{level.label}: {person.full_name}")
            for level, people in targets
            for person in people
        ]

    def level_and_person(self) -> tuple[int, int]:
        level, person = self.cleaned_data["target"].split(":")
        return int(level), int(person)
