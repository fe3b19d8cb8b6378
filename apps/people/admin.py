from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.access.actors import actor_for

from .models import Person, RoleAssignment
from .rules import STAFF_ROLES
from .services import role_grant, role_scope_check, role_withdraw

SCOPE_FIELDS = {"role", "district", "place", "organisation"}


class RoleAssignmentForm(forms.ModelForm):
    """A new role with its scope (checked like the service that grants roles), or the withdrawal of one held.

    Who granted or withdrew a role, and when, is written by the services, never typed in; a role held is
    never changed into another or deleted, so the record of who held what stays complete.
    """

    withdraw = forms.BooleanField(label=_("Withdraw"), required=False)

    class Meta:
        model = RoleAssignment
        fields = ["role", "district", "place", "organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in SCOPE_FIELDS:
                self.fields[name].disabled = True
        if self.instance.pk is None or self.instance.withdrawn_at is not None:
            self.fields["withdraw"].disabled = True  # a new row, or one already withdrawn

    actor_person_id: int | None = None  # who is signed in (``RoleInline.get_formset``)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        touched = self.instance.pk is None or data.get("withdraw")
        role = data.get("role") or self.instance.role
        mine = self.actor_person_id is not None and self.instance.person_id == self.actor_person_id
        if touched and role in STAFF_ROLES and mine:
            # the rule refuses it too (``people.grant_role``); here it is said in words, on the row
            raise forms.ValidationError(
                _("You cannot give yourself a staff role, or take one away: ask another administrator.")
            )
        if self.instance.pk is None and data.get("role") and SCOPE_FIELDS & set(self.changed_data):
            role_scope_check(
                role=data["role"],
                district=data.get("district"),
                place=data.get("place"),
                organisation=data.get("organisation"),
            )
        return data


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "person"
    extra = 0
    can_delete = False
    readonly_fields = ["granted_by", "granted_at", "withdrawn_at", "withdrawn_by"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        form = type("RoleAssignmentFormOf", (formset.form,), {"actor_person_id": actor_for(request).person_id})
        formset.form = form
        return formset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "district", "contact_preference"]
    list_filter = ["district", "organisation"]
    search_fields = ["last_name", "first_name"]
    # care needs are special-category data: administrators run the city, they do not read them (ASVS 8.2.3)
    exclude = ["support_needs", "user"]
    # an account is tied to a person at sign-up or by a coordinator's invitation, never re-tied here: a
    # second account of one's own tied to a coordinator's person would sign in as that coordinator
    readonly_fields = ["account"]
    inlines = [RoleInline]

    @admin.display(description=_("Account"))
    def account(self, obj: Person) -> Any:
        """The account tied to the person, read-only, under the city's word (the field itself says "User")."""
        return obj.user or "–"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never a hard delete: erasure (the person's page, or their coordinator's) anonymises everywhere."""
        return False

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        """Roles are granted and withdrawn through the services: the rules apply and who did it is recorded."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = actor_for(request)
        # what the admin's history message lists (``construct_change_message``)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            data = row.cleaned_data
            if row.instance.pk is None:
                granted = role_grant(
                    actor=actor,
                    person=form.instance,
                    role=data["role"],
                    district=data.get("district"),
                    place=data.get("place"),
                    organisation=data.get("organisation"),
                )
                formset.new_objects.append(granted)
            elif data.get("withdraw"):
                formset.changed_objects.append((role_withdraw(actor=actor, assignment=row.instance), ["withdrawn_at"]))
