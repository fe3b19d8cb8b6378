from django.urls import path

from . import mfa, phone_signup, reauthentication_views, views, views_audit

app_name = "people"

urlpatterns = [
    path("signup/phone/", phone_signup.phone_signup, name="phone_signup"),
    path("signup/phone/code/", phone_signup.phone_signup_confirm, name="phone_signup_confirm"),
    path("accounts/2fa/recovery-codes/", mfa.recovery_codes, name="recovery_codes"),
    path("accounts/reauthenticate/code/", reauthentication_views.CodeStepView.as_view(), name="reauthenticate_code"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/roles/", views.my_roles, name="my_roles"),
    path("me/consents/", views.my_consents, name="my_consents"),
    path("me/reads/", views.my_reads, name="my_reads"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/export/", views.my_export, name="my_export"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/new/", views.person_register, name="person_register"),
    path("persons/<int:person_id>/", views.person_detail, name="person_detail"),
    path("persons/<int:person_id>/export/", views.person_export, name="person_export"),
    path("persons/<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("audit/place-changes/", views_audit.place_changes, name="place_changes"),
]
