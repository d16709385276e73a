from django.urls import path

from academics.views import admission, gradebook, transcript, tuition

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
    path("tuition/", tuition.student_tuition, name="my_tuition"),
    path("tuition/students/<int:student_id>/", tuition.student_tuition, name="student_tuition"),
    path("tuition/contracts/", tuition.contract_list, name="tuition_contracts"),
    path("tuition/contracts/new/", tuition.contract_new, name="tuition_contract_new"),
    path("tuition/contracts/<int:pk>/", tuition.contract_page, name="tuition_contract"),
    path("tuition/not-admitted/", tuition.not_admitted_page, name="tuition_not_admitted"),
    path("tuition/not-admitted.csv", tuition.not_admitted_csv, name="tuition_not_admitted_csv"),
    path("tuition/expulsion/", tuition.expulsion_page, name="tuition_expulsion"),
    path("tuition/expulsion.csv", tuition.expulsion_csv, name="tuition_expulsion_csv"),
]
