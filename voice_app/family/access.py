"""Who is signed in to the family's space on this device: loading them once a request,
the view decorator, and starting a session (on their own device or a practitioner's)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from voice_app.accounts import sign_ins
from voice_app.accounts.models import User
from voice_app.family import authentication, services
from voice_app.family.models import FamilyAccount
from voice_app.family.permissions import FamilyPermission, family_has
from voice_app.family.session import FamilySpace, current_family_space, enter, leave
from voice_app.i18n import SESSION_KEY as LOCALE_KEY

F = TypeVar("F", bound=Callable[..., Any])


def signed_in() -> tuple[FamilySpace, FamilyAccount]:
    """The family member signed in on this device, loaded once per request; else to the
    family sign-in page (a 401 for anything but a page)."""
    found = g.get("family_signed_in")
    if found is not None:
        return found
    space = current_family_space()
    account = authentication.load_account(space) if space else None
    if space is None or account is None:
        leave()
        if request.method == "GET":
            # An ended session (idle, signed out elsewhere, a new passphrase): sign in again.
            flash(_("Please sign in to your family space."), "info")
            abort(redirect(url_for("family_access.sign_in")))
        abort(401)
    g.family_signed_in = (space, account)
    return space, account


def family_required(permission: FamilyPermission) -> Callable[[F], F]:
    """View decorator: a family session on this device that carries ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            signed_in()
            if not family_has(permission):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def start_session(account: FamilyAccount, assisted_by: User | None = None) -> None:
    """Put this device into the family member's space."""
    member = account.family_member
    # The audit log keeps one wording whatever language the page was in.
    relation = member.relationship_to_child.value.replace("_", " ")
    if assisted_by is None:
        # A device signed in as a family member is theirs alone: no staff session stays,
        # nor can an answer still on its way bring one back (the caller commits).
        sign_ins.end_all_on_this_device()
        logout_user()
        session.clear()
    enter(
        FamilySpace(
            account_id=account.id,
            session_token=account.session_token,
            child_id=account.child_id,
            family_member_id=member.id,
            locale=services.locale_of(account),
            # No name: the audit chain can never be edited, and a family member's name
            # must not outlive the child's record. The audit page shows the name while
            # the record exists (children.services.family_member_names).
            label=f"family member #{member.id} ({relation})",
            assisted_by=assisted_by.id if assisted_by else None,
            sign_in=sign_ins.new_id(),
        )
    )
    session.pop(LOCALE_KEY, None)
