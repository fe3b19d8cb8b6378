"""Outreach cases (issue 17, item 4): their pages, included by ``urls.py``."""

from django.urls import path

from . import views_cases as views

urlpatterns = [
    path("wellbeing/cases/", views.case_list, name="cases"),
    path("wellbeing/cases/new/", views.case_new, name="case_new"),
    path("wellbeing/cases/new/person/<int:person_pk>/", views.case_new_for_person, name="case_new_for_person"),
    path("wellbeing/cases/from-screening/<int:screening_pk>/", views.case_from_screening, name="case_from_screening"),
    path("wellbeing/cases/calls/", views.call_list, name="case_calls"),
    path("wellbeing/cases/closed/", views.closed_list, name="cases_closed"),
    path("wellbeing/cases/team/", views.team_list, name="cases_team"),
    path("wellbeing/cases/<int:pk>/", views.case_detail, name="case"),
    path("wellbeing/team-leads/", views.team_leads, name="team_leads"),
    path("wellbeing/team-leads/<int:pk>/withdraw/", views.team_lead_withdraw, name="team_lead_withdraw"),
    *[
        path(f"wellbeing/cases/<int:pk>/{action.replace('_', '-')}/", view, name=f"case_{action}")
        for action, view in views.ACTION_VIEWS.items()
    ],
]
