from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal.views import bench, groups, health, home, notifications

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/<slug:key>/", home.dashboard, name="dashboard"),
    path("dashboard-switch/", home.switch_dashboard, name="switch_dashboard"),
    path("profile/", home.profile, name="profile"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_mark_read"),
    path("healthz", health.healthz, name="healthz"),
    path("academics/", include("academics.urls")),
    path("elections/", include("elections.urls")),
    path("appeals/", include("appeals.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.PORTAL_BENCH_ENDPOINTS:
    urlpatterns.append(path("bench/floor/", bench.floor, name="bench_floor"))
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
