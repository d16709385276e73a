from django.urls import path

from elections.views import voting, voting_commission

app_name = "elections"
urlpatterns: list = [
    path("<int:pk>/ballot/", voting.ballot_page, name="ballot"),
    path("<int:pk>/receipt/", voting.receipt_check, name="receipt"),
    path("<int:pk>/pollbook/", voting_commission.pollbook_page, name="pollbook"),
    path("<int:pk>/pollbook/issue/", voting_commission.issue_paper_ballot, name="issue_paper_ballot"),
    path("<int:pk>/pollbook/<int:participation_id>/sign/", voting_commission.pollbook_sign, name="pollbook_sign"),
    path("<int:pk>/turnout/", voting_commission.turnout_page, name="turnout"),
    path("<int:pk>/roll/", voting_commission.roll_page, name="roll"),
]
