from django.urls import path

from academics.views import (
    admission,
    amendments,
    calendar,
    differences,
    gradebook,
    imports,
    nonformal,
    sanctions,
    summer,
    transcript,
)

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
    # AC-15: the summer semester.
    path("summer/", summer.student_page, name="summer"),
    path("summer/courses/", summer.courses_page, name="summer_courses"),
    path("summer/courses/<int:term_id>/<int:discipline_id>/", summer.course_page, name="summer_course"),
    path("summer/courses/<int:term_id>/<int:discipline_id>/open/", summer.open_course, name="summer_open"),
    path("summer/courses/<int:term_id>/<int:discipline_id>/close/", summer.close_course, name="summer_close"),
    path("summer/applications/<int:pk>/payment/", summer.record_payment, name="summer_payment"),
    # AC-16: non-formal learning.
    path("nonformal/", nonformal.student_page, name="nonformal"),
    path("nonformal/review/", nonformal.review_page, name="nonformal_review"),
    path("nonformal/<int:pk>/agree/", nonformal.agree, name="nonformal_agree"),
    path("nonformal/<int:pk>/refuse/", nonformal.refuse, name="nonformal_refuse"),
    # AC-20: academic differences.
    path("differences/", differences.student_page, name="my_differences"),
    path("differences/manage/", differences.manage_page, name="differences"),
    path("differences/<int:pk>/clear/", differences.clear_page, name="difference_clear"),
]
