from django.urls import path

from allyship.reporting.views import manager as manager_views

app_name = "manager"
urlpatterns = [
    path("", manager_views.team, name="team"),
    path("people/<id:person_id>/nudge/", manager_views.nudge, name="nudge"),
    path("insights/", manager_views.insights, name="insights"),
]
