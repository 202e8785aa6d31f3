from django.urls import path

from allyship import hr_views

app_name = "hr"
urlpatterns = [
    path("", hr_views.people, name="people"),
]
