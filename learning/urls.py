from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("", views.home, name="home"),
    path("learn/", views.catalogue, name="course-list"),
    path("learn/<slug:slug>/", views.course_detail, name="course-detail"),
    path("learn/<slug:slug>/start/", views.course_start, name="course-start"),
    path("modules/<slug:slug>/", views.module_detail, name="module-detail"),
    path("modules/<slug:slug>/commit/", views.module_commit, name="module-commit"),
    path("modules/<slug:slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson-detail"),
    path(
        "modules/<slug:slug>/<slug:lesson_slug>/complete/",
        views.lesson_complete,
        name="lesson-complete",
    ),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<id:pk>/check-in/", views.commitment_check_in, name="commitment-check-in"),
    path("reflections/", views.reflection_list, name="reflection-list"),
    path(
        "reflections/my-reflections.<str:extension>",
        views.reflection_download,
        name="reflection-download",
    ),
    path("reflections/<id:prompt_id>/", views.reflection_edit, name="reflection-edit"),
    path("reflections/<id:prompt_id>/delete/", views.reflection_delete, name="reflection-delete"),
]
