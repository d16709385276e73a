from django.urls import path

from elections.views import campaign, candidates, counting, manage, results, voting, voting_commission

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
    # Candidates (EL-03 to EL-06, EL-10, EL-19).
    path("<int:pk>/candidacy/", candidates.candidacy_page, name="candidacy"),
    path("<int:pk>/candidacy/withdraw/", candidates.withdraw, name="candidacy_withdraw"),
    path("<int:pk>/candidates/", candidates.candidates_page, name="candidates"),
    path("<int:pk>/candidates/<int:candidate_id>/", candidates.candidate_page, name="candidate"),
    path("<int:pk>/candidates/<int:candidate_id>/register/", candidates.register, name="candidate_register"),
    path("<int:pk>/candidates/<int:candidate_id>/refuse/", candidates.refuse, name="candidate_refuse"),
    path(
        "<int:pk>/candidates/<int:candidate_id>/standard-info/",
        candidates.standard_info,
        name="candidate_standard_info",
    ),
    path(
        "<int:pk>/candidates/<int:candidate_id>/appendix-<int:number>.pdf",
        candidates.appendix_pdf,
        name="candidate_appendix",
    ),
    path("<int:pk>/candidates/<int:candidate_id>/files/<slug:kind>/", candidates.portfolio_file, name="candidate_file"),
    path("recommendations/", candidates.recommendations_page, name="recommendations"),
    path("recommendations/<int:candidate_id>/recommend/", candidates.recommend, name="recommend"),
    # Counting, protocol and results (EL-15 to EL-18)
    path("<int:pk>/counting/", counting.counting_page, name="counting"),
    path("<int:pk>/protocol/", results.protocol_page, name="protocol"),
    path("<int:pk>/protocol/draw-up/", results.draw_up, name="protocol_draw_up"),
    path("<int:pk>/protocol/sign/", results.sign, name="protocol_sign"),
    path("<int:pk>/protocol.pdf", results.protocol_pdf, name="protocol_pdf"),
    path("<int:pk>/publish/", results.publish, name="publish"),
    path("<int:pk>/runoff/", results.call_runoff, name="runoff"),
    path("<int:pk>/runoff/publish/", results.publish_runoff, name="runoff_publish"),
    path("<int:pk>/results/", results.results_page, name="results"),
    path("results/", results.results_list, name="results_list"),
]

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
    # Voting (EL-11 to EL-14, EL-20)
    path("<int:pk>/ballot/", voting.ballot_page, name="ballot"),
    path("<int:pk>/receipt/", voting.receipt_check, name="receipt"),
    path("<int:pk>/pollbook/", voting_commission.pollbook_page, name="pollbook"),
    path("<int:pk>/pollbook/issue/", voting_commission.issue_paper_ballot, name="issue_paper_ballot"),
    path("<int:pk>/pollbook/<int:participation_id>/sign/", voting_commission.pollbook_sign, name="pollbook_sign"),
    path("<int:pk>/turnout/", voting_commission.turnout_page, name="turnout"),
    path("<int:pk>/roll/", voting_commission.roll_page, name="roll"),
]
