from django.urls import path

from academics.views import admission, decisions, gradebook, transcript

app_name = "academics"
urlpatterns = [
    path("offerings/<int:pk>/gradebook/", gradebook.gradebook_page, name="gradebook"),
    path("offerings/<int:pk>/sign/", gradebook.sign_statement, name="sign_statement"),
    path("offerings/<int:pk>/attendance/", gradebook.attendance_page, name="attendance"),
    path("offerings/<int:pk>/admission/", admission.admission_page, name="admission"),
    path("offerings/<int:pk>/statement.pdf", admission.statement_pdf, name="statement_pdf"),
    path("offerings/<int:pk>/admission.pdf", admission.admission_pdf, name="admission_pdf"),
    path("transcript/", transcript.transcript_page, name="my_transcript"),
    path("transcript.pdf", transcript.transcript_pdf, name="my_transcript_pdf"),
    path("students/<int:student_id>/transcript/", transcript.transcript_page, name="transcript"),
    path("students/<int:student_id>/transcript.pdf", transcript.transcript_pdf, name="transcript_pdf"),
    path("registrar/transfers/", decisions.transfer_decisions, name="transfer_decisions"),
    path("registrar/transfers/compute/", decisions.transfer_compute, name="transfer_compute"),
    path("registrar/transfers/export.csv", decisions.transfer_decisions_csv, name="transfer_decisions_csv"),
    path("registrar/scholarship/", decisions.scholarship_page, name="scholarship"),
    path("registrar/scholarship/export.csv", decisions.scholarship_csv, name="scholarship_csv"),
]
