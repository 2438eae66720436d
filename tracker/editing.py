"""The one edit flow every form uses: validate, check the version, save, flash; or refuse clearly.

No lost updates: a form carries the version of the record it was opened on (hidden ``version``
field). When the record's version has moved on, the save is refused with 409, the page shows
what was saved meanwhile (field by field, and who changed it) and keeps what the user typed; the
version in the form is moved to the current one, so saving again deliberately overwrites. A race
between the check and the commit is caught by SQLAlchemy's ``version_id_col`` (StaleDataError)
and handled the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import flash, redirect, render_template
from flask_wtf import FlaskForm
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField, HiddenField, SelectField, SubmitField

from tracker.audit import queries as audit_queries
from tracker.extensions import db
from tracker.i18n import date_format, number_format
from tracker.i18n import gettext as _


class Invalid(Exception):
    """A rule a service checks that the form alone cannot (e.g. a reason when a date moves)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class VersionedForm(FlaskForm):
    version = HiddenField()


class ConfirmDeleteForm(VersionedForm):
    submit = SubmitField()


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    typed: str


@dataclass
class Conflict:
    differences: list[Difference]
    entries: list


def _display(field, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(field, SelectField):
        for choice_value, label in field.choices or []:
            if str(choice_value) == str(value):
                return str(label)
    if isinstance(field, BooleanField) or isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, int | float):
        return number_format(value, 3)
    return str(value)


def _same(typed, saved) -> bool:
    if isinstance(typed, str) and (saved is None or isinstance(saved, str)):
        return typed.strip() == (saved or "").strip()
    if typed in (None, "") and saved in (None, ""):
        return True
    try:
        return float(typed) == float(saved)
    except (TypeError, ValueError):
        return str(typed) == str(saved)


def conflict_for(form: FlaskForm, obj, since_version: str | None) -> Conflict:
    """What is saved now where it differs from what was typed, and the changes since."""
    db.session.refresh(obj)
    differences = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField", "SubmitField"):
            continue
        if not hasattr(obj, field.name):
            continue
        saved = getattr(obj, field.name)
        if isinstance(field, SelectField) and saved is not None and field.data is not None:
            same = str(field.data) == str(saved)
        else:
            same = _same(field.data, saved)
        if not same:
            differences.append(
                Difference(
                    str(field.label.text), _display(field, saved), _display(field, field.data)
                )
            )
    try:
        base = int(since_version or 0)
    except ValueError:
        base = 0
    entries = [
        e
        for e in audit_queries.for_records({type(obj).__name__: [obj.id]})
        if e.action == "update" and (e.version or 0) > base
    ]
    # The form now carries the current version: saving again overwrites, knowingly.
    form.version.data = str(obj.version)
    form.version.raw_data = None
    return Conflict(differences, entries)


def is_stale(form: VersionedForm, obj) -> bool:
    return inspect(obj).persistent and form.version.data != str(obj.version)


def save_form(
    form: VersionedForm,
    obj,
    template: str,
    *,
    apply: Callable[[], object],
    success: str,
    redirect_to: Callable[[], str],
    **context,
):
    """GET: show the form. POST: validate, refuse a stale version, apply, commit, redirect.

    ``obj`` is the record being edited, or None when creating one. ``apply`` changes the
    session (it may raise Invalid for a rule only the service can check); it runs only when
    the form is valid and current.
    """
    conflict = None
    if form.validate_on_submit():
        if obj is not None and is_stale(form, obj):
            conflict = conflict_for(form, obj, form.version.data)
        else:
            try:
                apply()
                db.session.flush()
                # Known now: after the commit every record is expired, and reading an id back
                # would open a new transaction (a write lock on SQLite) just for the redirect.
                target = redirect_to()
                db.session.commit()
            except Invalid as error:
                db.session.rollback()
                field = getattr(form, error.field, None)
                if field is None:  # a rule of the record as a whole: the error summary says it
                    form.form_errors.append(error.message)
                else:
                    field.errors.append(error.message)
            except StaleDataError:
                db.session.rollback()
                conflict = conflict_for(form, obj, form.version.data)
            except IntegrityError:
                db.session.rollback()
                flash(_("This could not be saved: it clashes with a record that exists."), "error")
                return _render(template, form, None, context), 409
            else:
                flash(success, "success")
                return redirect(target)
    if conflict is not None:
        flash(
            _(
                "Someone else saved this record while you were editing. Your input is kept "
                "below; check what changed meanwhile, then save again."
            ),
            "error",
        )
        return _render(template, form, conflict, context), 409
    status = 400 if form.errors else 200
    return _render(template, form, None, context), status


def _render(template, form, conflict, context):
    return render_template(template, form=form, conflict=conflict, **context)


def delete_record(
    obj,
    *,
    what: str,
    dependents: list[str],
    back_to: str,
    success: str,
    redirect_to: str,
    also_delete: Callable[[], None] | None = None,
    subproject=None,
    instead: tuple[str, str] | None = None,
):
    """Ask for confirmation, refuse while other records depend on ``obj``, then delete it.

    ``instead`` (a label and a URL) offers the way out where dependents refuse the deletion,
    e.g. archiving a subproject that has history."""
    form = ConfirmDeleteForm()
    if form.is_submitted() and not dependents:
        if form.validate() and not is_stale(form, obj):
            if also_delete is not None:
                also_delete()
            db.session.delete(obj)
            try:
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
            else:
                flash(success, "success")
                return redirect(redirect_to)
        flash(
            _("Someone else changed this record meanwhile. Check it before you delete it."),
            "error",
        )
        status = 409
    elif form.is_submitted():
        status = 409
    else:
        status = 200
    form.version.data = str(obj.version)
    return render_template(
        "confirm_delete.html",
        form=form,
        what=what,
        dependents=dependents,
        back_to=back_to,
        subproject=subproject,
        instead=instead,
    ), status
