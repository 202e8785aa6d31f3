from django.urls import include, path

from allyship.reporting.views import hr as hr_views

app_name = "hr"
urlpatterns = [
    path("", hr_views.dashboard, name="dashboard"),
    path("people/", hr_views.people, name="people"),
    path("employees.csv", hr_views.employees_csv, name="employees-csv"),
    path("import/", include("allyship.people.urls")),
    path("assignments/", hr_views.assignment_list, name="assignments"),
    path("assignments/new/", hr_views.assignment_create, name="assignment-create"),
    path("assignments/<id:rule_id>/", hr_views.assignment_detail, name="assignment-detail"),
    path(
        "assignments/<id:rule_id>/due-date/",
        hr_views.assignment_due_date,
        name="assignment-due-date",
    ),
    path(
        "assignments/<id:rule_id>/withdraw/",
        hr_views.assignment_withdraw,
        name="assignment-withdraw",
    ),
    path("insights/", hr_views.insights, name="insights"),
    path("audit/", hr_views.audit_log, name="audit"),
]
