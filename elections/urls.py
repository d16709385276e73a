from django.urls import path

from elections.views import candidates

app_name = "elections"
urlpatterns: list = [
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
]
