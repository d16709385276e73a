"""Each page module keeps its own `urlpatterns`; they are joined here under one namespace."""

from appeals.views import applicant, channels, commission, grades, reports, triage

app_name = "appeals"
urlpatterns = [
    *applicant.urlpatterns,
    *triage.urlpatterns,
    *commission.urlpatterns,
    *grades.urlpatterns,
    *channels.urlpatterns,
    *reports.urlpatterns,
]
