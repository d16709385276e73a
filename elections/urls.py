from django.urls import path

from elections.views import manage

app_name = "elections"
urlpatterns = [
    path("", manage.election_list, name="list"),
    path("new/", manage.create, name="create"),
    path("<int:pk>/", manage.detail, name="detail"),
    path("<int:pk>/calendar/", manage.edit_calendar, name="edit_calendar"),
    path("<int:pk>/commission/", manage.add_member, name="add_member"),
    path("<int:pk>/commission/<int:member_id>/remove/", manage.remove_member, name="remove_member"),
    path("<int:pk>/open-registration/", manage.open_registration, name="open_registration"),
    path("<int:pk>/publish-candidates/", manage.publish_candidates, name="publish_candidates"),
]
