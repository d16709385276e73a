from django.urls import path

from academics import views

app_name = "academics"
urlpatterns = [
    path("offerings/<int:pk>/gradebook/", views.gradebook_page, name="gradebook"),
    path("offerings/<int:pk>/sign/", views.sign_statement, name="sign_statement"),
    path("offerings/<int:pk>/attendance/", views.attendance_page, name="attendance"),
    path("offerings/<int:pk>/admission/", views.admission_page, name="admission"),
    path("offerings/<int:pk>/statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("offerings/<int:pk>/admission.pdf", views.admission_pdf, name="admission_pdf"),
    path("transcript/", views.transcript_page, name="my_transcript"),
    path("transcript.pdf", views.transcript_pdf, name="my_transcript_pdf"),
    path("students/<int:student_id>/transcript/", views.transcript_page, name="transcript"),
    path("students/<int:student_id>/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
]
