"""Pages of the appeals app: standing bodies and the expanded commission (AP-09 to AP-13)."""

from django.urls import URLPattern, path

from appeals.views.commission import bodies, departments, page, recommendations

urlpatterns: list[URLPattern] = [
    path("<int:pk>/commission/", page.commission_page, name="commission"),
    path("<int:pk>/commission/invite/", page.invite, name="commission_invite"),
    path("<int:pk>/commission/seats/<int:seat_id>/remove/", page.unseat, name="commission_unseat"),
    path("<int:pk>/commission/requests/", page.request_documents, name="commission_request"),
    path("<int:pk>/commission/recommendations/", page.recommend, name="commission_recommend"),
    path(
        "<int:pk>/commission/recommendations/<int:recommendation_id>/withdraw/",
        page.withdraw,
        name="commission_withdraw",
    ),
    path("<int:pk>/commission/decision/", page.decide, name="commission_decide"),
    path("<int:pk>/commission/hearing/", page.hearing, name="commission_hearing"),
    path("<int:pk>/commission/answer/", page.answer, name="commission_answer"),
    path("<int:pk>/commission/protocol.pdf", page.protocol, name="commission_protocol"),
    path("commission/bodies/", bodies.body_list, name="bodies"),
    path("commission/bodies/add/", bodies.body_member_add, name="body_member_add"),
    path("commission/bodies/<int:member_id>/remove/", bodies.body_member_remove, name="body_member_remove"),
    path("commission/requests/", departments.request_list, name="document_requests"),
    path("commission/requests/<int:pk>/", departments.request_detail, name="document_request"),
    path("commission/requests/<int:pk>/document/", departments.department_document, name="department_document"),
    path("commission/recommendations/", recommendations.recommendation_list, name="recommendations"),
    path("commission/recommendations/<int:pk>/", recommendations.recommendation_detail, name="recommendation"),
]
