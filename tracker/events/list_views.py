"""Importing a registration list into an event (template, upload with a preview of every row,
applying it in one transaction), and the people of a registration. Routes of the events
blueprint. The upload works as the quarter upload and the plan import do: the same file checks
and limits, and the checked rows carried to the confirmation signed (tracker/indicators/upload.py).

People are contact persons, personal data: only the programme manager and the admin see them,
register them and import them (the lead of the event imports organisations and attendance).
"""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.auth.permissions import can_manage_programme, require_programme_manager
from tracker.editing import save_form
from tracker.events import list_file, list_import, list_job, queries
from tracker.events import registration_list as rules
from tracker.events.forms import PeopleForm, RegistrationListForm
from tracker.events.models import Event, Registration
from tracker.events.views import _page, _require_editor, bp
from tracker.extensions import db
from tracker.i18n import date_format, number_format
from tracker.i18n import gettext as _
from tracker.imports import services as imports
from tracker.indicators import excel
from tracker.indicators import upload as signed
from tracker.indicators.forms import ConfirmUploadForm
from tracker.projects.models import Municipality
from tracker.stakeholders import rules as register_rules
from tracker.stakeholders.models import Contact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    _require_editor(event)
    return event


def _municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def _vocabulary(municipalities: list[Municipality]) -> rules.Vocabulary:
    lists = list_file.dutch_vocabularies([])

    def keyed(codes: dict[str, str]) -> dict[str, str]:
        return {register_rules.name_key(label): code for code, label in codes.items()} | {
            register_rules.name_key(code): code for code in codes
        }

    return rules.Vocabulary(
        municipalities={register_rules.name_key(m.name): m.id for m in municipalities},
        kinds=keyed(lists["soorten"]),
        sectors=keyed(lists["sectoren"]),
    )


def say(message: str, params: dict) -> str:
    """A rule's message in the user's language, its numbers written the Dutch way."""
    shown = {
        k: number_format(v) if isinstance(v, int) and f"%({k})s" in message else v
        for k, v in params.items()
    }
    return _(message, **shown)


def _scope(event: Event) -> dict:
    return list_job.scope(current_user.id, event.id)


@bp.route("/events/<int:event_id>/registrations/template.xlsx")
@login_required
def registration_template(event_id: int):
    event = _event(event_id)
    return send_file(
        io.BytesIO(
            list_file.build_template(
                event.title, event.held_on, [m.name for m in _municipalities()]
            )
        ),
        mimetype=XLSX,
        as_attachment=True,
        download_name="aanmeldingen.xlsx",
    )


@bp.route("/events/<int:event_id>/registrations/import", methods=["GET", "POST"])
@login_required
def import_registrations(event_id: int):
    event = _event(event_id)
    form = RegistrationListForm()
    if not form.validate_on_submit():
        return _upload_page(event, form, 400 if form.errors else 200)
    upload = form.file.data
    content = upload.stream.read(excel.MAX_BYTES + 1)
    municipalities = _municipalities()
    try:
        table = list_file.read_table(content, upload.filename or "")
        rows = rules.read_rows(table, _vocabulary(municipalities), excel.MAX_ROWS)
    except excel.UploadRefused as refusal:
        form.file.errors.append(str(refusal))
        return _upload_page(event, form, 400)
    except rules.ListRefused as refusal:
        form.file.errors.append(say(refusal.message, refusal.params))
        return _upload_page(event, form, 400)
    return _preview(event, rows, municipalities)


def _upload_page(event: Event, form, status: int):
    return render_template(
        "events/list_import.html",
        event=event,
        form=form,
        can_manage=can_manage_programme(current_user),
    ), status


def _preview(event: Event, rows: list[rules.ListRow], municipalities):
    may_record_people = can_manage_programme(current_user)
    plan = rules.make_plan(rows, queries.list_context(event, may_record_people))
    confirm = None
    if not plan.errors and plan.changes_anything:
        token = signed.sign_for(
            _scope(event),
            {
                "rows": [{"row": r.row, "values": r.values} for r in rows],
                "state": queries.registrations_state(event),
                "plan": plan.fingerprint(),
            },
        )
        if len(token) > signed.MAX_TOKEN_CHARS:
            form = RegistrationListForm(formdata=None)
            form.file.errors.append(
                _("The file holds too much text to confirm at once: split it into parts.")
            )
            return _upload_page(event, form, 400)
        confirm = ConfirmUploadForm(formdata=None, payload=token)
    return render_template(
        "events/list_preview.html",
        event=event,
        plan=plan,
        confirm=confirm,
        say=say,
        show_people=may_record_people,
        municipality_names={m.id: m.name for m in municipalities},
        rules=rules,
    ), 400 if plan.errors else 200


@bp.route("/events/<int:event_id>/registrations/import/apply", methods=["POST"])
@login_required
def apply_registrations(event_id: int):
    """Queue the confirmed preview to be applied (:mod:`tracker.events.list_job`) and follow
    it; a forged or expired confirmation is refused at once."""
    event = _event(event_id)
    form = ConfirmUploadForm()
    upload_page = url_for("events.import_registrations", event_id=event.id)
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = signed.verify_for(form.payload.data, _scope(event))
    except signed.PayloadRefused:
        flash(_("The preview expired or was altered. Upload the file again."), "error")
        return redirect(upload_page), 303
    run_id = imports.start(
        list_job.apply_registration_list,
        list_job.KIND,
        event.id,
        payload,
        done_url=_page(event.id, "registrations"),
        retry_url=upload_page,
    )
    return redirect(url_for("imports.progress", run_id=run_id)), 303


# --- The people of a registration (personal data) --------------------------------------------


@bp.route("/registrations/<int:registration_id>/people", methods=["GET", "POST"])
@login_required
def registration_people(registration_id: int):
    require_programme_manager()
    registration = db.get_or_404(Registration, registration_id)
    event = registration.event
    contacts = db.session.scalars(
        select(Contact)
        .where(Contact.organisation_id == registration.organisation_id)
        .order_by(Contact.name)
    ).all()
    form = PeopleForm(
        obj=registration,
        data={
            "contact_ids": [p.contact_id for p in registration.people],
            "purpose": list_import.purpose_for(event),
        },
        contacts=contacts,
    )
    return save_form(
        form,
        registration,
        "events/people_form.html",
        apply=lambda: list_import.set_people(
            registration, form.contact_ids.data or [], form.new_person(), current_user
        ),
        success=_("People of the registration saved."),
        redirect_to=lambda: _page(event.id, "registrations"),
        title=_(
            "People of %(organisation)s at %(title)s on %(date)s",
            organisation=registration.organisation.name,
            title=event.title,
            date=date_format(event.held_on),
        ),
        subproject=event.subproject,
        cancel_url=_page(event.id, "registrations"),
    )
