"""Care follows the directory's referrals of its professional requests (issue 16).

A request in a professional category gets a care ``Referral`` row ("to refer") and waits in the coordinator's
worklist.  When the coordinator refers the person through the directory from that request
(``origin=care_request``, ``origin_id`` = the request's number), the directory says so with its signal
``referral_changed``; this receiver keeps the care row in step, in the same transaction:

- sent → "referred", with the service's name;
- completed → "closed";
- declined, withdrawn or no answer → back to "to refer" (on the worklist again), with the service's name kept.

Care imports the directory; the directory imports no other capability.
"""

from __future__ import annotations

from typing import Any

from apps.directory.models import Referral as DirectoryReferral
from apps.directory.referrals import referral_changed

from .models import Referral

BACK_TO_REFER = (
    DirectoryReferral.Status.DECLINED,
    DirectoryReferral.Status.WITHDRAWN,
    DirectoryReferral.Status.NO_ANSWER,
)


def on_referral_changed(sender: Any, *, referral: DirectoryReferral, status: str, **kwargs: Any) -> None:
    if referral.origin != DirectoryReferral.Origin.CARE_REQUEST or referral.origin_id is None:
        return
    rows = Referral.objects.filter(request_id=referral.origin_id, request__person_id=referral.person_id)
    if status == DirectoryReferral.Status.SENT:
        rows.update(status=Referral.Status.REFERRED, service_name=referral.service.name[:200])
    elif status == DirectoryReferral.Status.COMPLETED:
        rows.update(status=Referral.Status.CLOSED)
    elif status in BACK_TO_REFER:
        # only when this referral is the one the care row follows (a newer one may have been sent meanwhile)
        newer = DirectoryReferral.objects.filter(
            origin=DirectoryReferral.Origin.CARE_REQUEST, origin_id=referral.origin_id, pk__gt=referral.pk
        )
        if not newer.exists():
            rows.update(status=Referral.Status.TO_REFER)


def connect() -> None:
    referral_changed.connect(on_referral_changed, dispatch_uid="care.directory_hooks.on_referral_changed")
