"""The test-only URLconf: the whole app, plus the OpenID provider under /o/."""

from django.urls import include, path

from allyship.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *app_urlpatterns,
]

handler403 = "allyship.views.permission_denied"
handler404 = "allyship.views.page_not_found"
handler500 = "allyship.views.server_error"
