from django.urls import path

from elections.views import counting, results

app_name = "elections"
urlpatterns: list = [
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
