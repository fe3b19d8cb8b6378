"""The team lead of outreach coordinators (issue 17, item 4): the one table outreach cases add.

A team lead is a coordinator who sees every outreach case of their team: of a district, or of an organisation
(the two scopes a coordinator's role has, ``apps.access.actors.Grant``).  The project has no "lead" kind of role
assignment, and the rules go by roles (Django's groups are not used), so the mark lives here, beside the cases
it is about: a row per lead and scope, withdrawn (never deleted) like a role.  It counts only while the person
also holds the coordinator role for the same district or organisation (``cases.is_team_lead``): withdrawing that
role ends the lead's reach at once.

Defined outside ``models.py`` (which holds the capability's tables as designed together) and imported by
``apps.py`` when the app is ready; its table is made by migration ``0002_cases_team_lead``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation
from apps.people.models import Person
from apps.places.models import District


class TeamLead(models.Model):
    """A coordinator marked as the lead of the outreach team of one district or one organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("team lead"))
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    granted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        app_label = "wellbeing"
        verbose_name = _("team lead of outreach")
        verbose_name_plural = _("team leads of outreach")
        constraints = [
            # exactly one scope: a district or an organisation
            models.CheckConstraint(
                condition=(Q(district__isnull=False) & Q(organisation__isnull=True))
                | (Q(district__isnull=True) & Q(organisation__isnull=False)),
                name="wellbeing_team_lead_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"team lead {self.pk}"
