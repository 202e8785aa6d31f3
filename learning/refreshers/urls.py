from django.urls import path

from learning.refreshers import views

app_name = "refreshers"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("session/", views.session, name="session"),
    path("<id:pk>/answer/", views.answer, name="answer"),
    path("history/", views.history, name="history"),
    path("history/<id:pk>/", views.review_detail, name="review-detail"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
]
