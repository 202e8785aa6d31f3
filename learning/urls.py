from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("", views.home, name="home"),
]
