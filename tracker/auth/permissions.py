"""Who may do what. Every view checks here; templates only hide what a role cannot use."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from tracker.errors import refuse
from tracker.i18n import gettext as _

EDIT_ALL_ROLES = ("admin", "manager")


def can_edit_subproject(user, subproject_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in EDIT_ALL_ROLES:
        return True
    if user.role == "lead":
        return any(s.id == subproject_id for s in user.led_subprojects)
    return False


def can_manage_programme(user) -> bool:
    """Programme-level indicators, meetings and decisions, closing a quarter."""
    return user.is_authenticated and user.role in EDIT_ALL_ROLES


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.role == "admin"


def require_subproject_editor(subproject_id: int) -> None:
    if not can_edit_subproject(current_user, subproject_id):
        abort(403)
    require_live_subproject(subproject_id)


def require_live_subproject(subproject_id: int) -> None:
    """An archived subproject (or one of an archived programme) is read only until restored."""
    from tracker.extensions import db
    from tracker.projects.models import Subproject

    subproject = db.session.get(Subproject, subproject_id)
    if subproject is not None and (
        subproject.archived_at is not None or subproject.programme.archived_at is not None
    ):
        refuse(
            409,
            _("Archived"),
            _(
                "This subproject is archived: it can be read, not changed. The programme "
                "manager can restore it on the set-up page of its programme."
            ),
        )


def require_programme_manager() -> None:
    if not can_manage_programme(current_user):
        abort(403)


def roles_required(*roles: str):
    """Login required, and one of ``roles``; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
