from django.urls import path

from allyship import manager_views

app_name = "manager"
urlpatterns = [
    path("", manager_views.team, name="team"),
]
