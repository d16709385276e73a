from django.urls import path

from academics.views import admission, amendments, calendar, gradebook, imports, sanctions, transcript

app_name = "academics"
urlpatterns = [
    path("offerings/<int:pk>/gradebook/", gradebook.gradebook_page, name="gradebook"),
    path("offerings/<int:pk>/sign/", gradebook.sign_statement, name="sign_statement"),
    path("offerings/<int:pk>/attendance/", gradebook.attendance_page, name="attendance"),
    path("offerings/<int:pk>/admission/", admission.admission_page, name="admission"),
    path("offerings/<int:pk>/statement.pdf", admission.statement_pdf, name="statement_pdf"),
    path("offerings/<int:pk>/admission.pdf", admission.admission_pdf, name="admission_pdf"),
    path("registrar/calendar/", calendar.years_page, name="calendar"),
    path("registrar/calendar/new/", calendar.create_year, name="calendar_create"),
    path("registrar/calendar/<int:pk>/", calendar.year_page, name="calendar_year"),
    path("grades/<int:pk>/amend/<str:kind>/", amendments.amend_page, name="amend_grade"),
    path("enrolments/<int:enrolment_id>/permit-retake/", amendments.permit_retake, name="permit_retake"),
    path("sanctions/", sanctions.register_page, name="sanctions"),
    path("sanctions/<int:pk>/lift/", sanctions.lift, name="lift_sanction"),
    path("transcript/", transcript.transcript_page, name="my_transcript"),
    path("transcript.pdf", transcript.transcript_pdf, name="my_transcript_pdf"),
    path("students/<int:student_id>/transcript/", transcript.transcript_page, name="transcript"),
    path("students/<int:student_id>/transcript.pdf", transcript.transcript_pdf, name="transcript_pdf"),
    path("registrar/import/", imports.import_page, name="import"),
    path("registrar/import/confirm/", imports.confirm_import, name="import_confirm"),
    path("registrar/import/templates/<slug:kind>.<slug:extension>", imports.import_template, name="import_template"),
]
