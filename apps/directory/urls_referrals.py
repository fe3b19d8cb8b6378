"""Referral pages (``views_referrals.py``): the coordinator's, the receiving organisation's, the person's."""

from django.urls import path

from . import views_referrals as views

urlpatterns = [
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/refer/<int:person_pk>/", views.refer, name="refer"),
    path("referrals/received/", views.incoming, name="incoming"),
    path("referrals/received/<int:pk>/", views.incoming_referral, name="incoming_referral"),
    path("my-referrals/", views.my_referrals, name="my_referrals"),
]
