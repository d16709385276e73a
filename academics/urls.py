from django.urls import path

from academics import views

app_name = "academics"
urlpatterns = [
    path("offerings/<int:pk>/gradebook/", views.gradebook_page, name="gradebook"),
    path("offerings/<int:pk>/sign/", views.sign_statement, name="sign_statement"),
]
