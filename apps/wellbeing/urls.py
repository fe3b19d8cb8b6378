"""Wellbeing and loneliness: its pages, mounted under the language prefix (/nl/, /en/, /fr/)."""

from django.urls import include, path

from . import views

app_name = "wellbeing"

urlpatterns = [
    # anyone, no account: "I am worried about a neighbour"
    path("wellbeing/worried/", views.worried, name="worried"),
    path("wellbeing/worried/thanks/", views.worried_thanks, name="worried_thanks"),
    # the coordinators of the report's district
    path("wellbeing/reports/", views.reports, name="reports"),
    path("wellbeing/reports/<int:pk>/", views.report, name="report"),
    path("wellbeing/reports/<int:pk>/pick-up/", views.report_pick_up, name="report_pick_up"),
    path("wellbeing/reports/<int:pk>/open-case/", views.report_open_case, name="report_open_case"),
    path("", include("apps.wellbeing.urls_screening")),  # screening (item 2)
    path("", include("apps.wellbeing.urls_cases")),  # outreach cases (item 4)
    path("", include("apps.wellbeing.urls_signals")),  # structural signals (item 5)
    path("", include("apps.wellbeing.urls_district")),  # the district view (item 6)
]
