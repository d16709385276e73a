from django.urls import path

from elections.views import campaign

app_name = "elections"
urlpatterns: list = []

# Campaign (EL-07 to EL-10)
urlpatterns += [
    path("<int:pk>/campaign/", campaign.campaign_page, name="campaign"),
    path("<int:pk>/campaign/mine/", campaign.mine_page, name="campaign_mine"),
    path("<int:pk>/campaign/mine/material/", campaign.submit_material, name="campaign_submit_material"),
    path("<int:pk>/campaign/mine/meeting/", campaign.request_meeting, name="campaign_request_meeting"),
    path("<int:pk>/campaign/material/<int:material_id>/file/", campaign.material_file, name="campaign_material_file"),
    path("<int:pk>/campaign/photo/<int:candidate_id>/", campaign.candidate_photo, name="campaign_photo"),
    path("<int:pk>/campaign/materials/", campaign.review_materials, name="campaign_review"),
    path(
        "<int:pk>/campaign/materials/<int:material_id>/approve/",
        campaign.decide_material,
        {"decision": "approve"},
        name="campaign_approve_material",
    ),
    path(
        "<int:pk>/campaign/materials/<int:material_id>/refuse/",
        campaign.decide_material,
        {"decision": "refuse"},
        name="campaign_refuse_material",
    ),
    path("<int:pk>/campaign/meetings/", campaign.meetings_page, name="campaign_meetings"),
    path(
        "<int:pk>/campaign/meetings/<int:meeting_id>/approve/",
        campaign.decide_meeting,
        {"decision": "approve"},
        name="campaign_approve_meeting",
    ),
    path(
        "<int:pk>/campaign/meetings/<int:meeting_id>/refuse/",
        campaign.decide_meeting,
        {"decision": "refuse"},
        name="campaign_refuse_meeting",
    ),
]
