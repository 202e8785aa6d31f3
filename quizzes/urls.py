from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenario-list"),
    path("scenarios/<slug:slug>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<slug:slug>/attempts/", views.attempt_start, name="attempt-start"),
    path("attempts/<id:pk>/", views.attempt_detail, name="attempt-detail"),
    path("attempts/<id:pk>/choose/", views.attempt_choose, name="attempt-choose"),
    path("modules/<slug:slug>/check/", views.module_check, name="module-check"),
    path("learn/<slug:slug>/test/<str:kind>/", views.course_test, name="course-test"),
]
