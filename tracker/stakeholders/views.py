"""The stakeholder register: everyone reads the organisations, their circles and their part in
subprojects; the programme manager and the admin keep them. Contact persons are personal data:
only the programme manager and the admin see, keep, export and erase them (least privilege:
for other roles the pages hold no trace of them)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.permissions import can_manage_programme, require_programme_manager
from tracker.editing import ConfirmDeleteForm, Invalid, delete_record, is_stale, save_form
from tracker.errors import refuse
from tracker.extensions import db
from tracker.i18n import gettext as _
from tracker.labels import ORGANISATION_KIND_LABELS, ORGANISATION_SECTOR_LABELS
from tracker.projects.models import Municipality, Organisation
from tracker.stakeholders import merging, privacy, queries, services
from tracker.stakeholders.forms import (
    ContactForm,
    MemberForm,
    MergeChoiceForm,
    MergeConfirmForm,
    OrganisationForm,
    ParticipationForm,
)
from tracker.stakeholders.models import CircleMembership, Contact

bp = Blueprint("stakeholders", __name__, url_prefix="/organisations")


def _page(organisation_id: int, anchor: str | None = None) -> str:
    return url_for("stakeholders.organisation", organisation_id=organisation_id, _anchor=anchor)


def _require_live(organisation: Organisation) -> None:
    if organisation.archived_at is not None:
        refuse(
            409,
            _("Archived"),
            _("This organisation is archived: it can be read, not changed. Restore it first."),
        )


def _filter(name: str, allowed) -> str | None:
    value = request.args.get(name) or None
    return value if value in allowed else None


# --- The register ----------------------------------------------------------------------------


@bp.route("")
@login_required
def index():
    municipalities = queries.municipalities()
    municipality_id = request.args.get("municipality", type=int)
    if municipality_id not in {m.id for m in municipalities}:
        municipality_id = None
    archived = request.args.get("archived") == "1"
    kind = _filter("kind", ORGANISATION_KIND_LABELS)
    sector = _filter("sector", ORGANISATION_SECTOR_LABELS)
    return render_template(
        "stakeholders/index.html",
        rows=queries.organisations(
            kind=kind, municipality_id=municipality_id, sector=sector, archived=archived
        ),
        municipalities=municipalities,
        chosen={"kind": kind, "municipality": municipality_id, "sector": sector},
        archived=archived,
        can_manage=can_manage_programme(current_user),
    )


@bp.route("/<int:organisation_id>")
@login_required
def organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    can_manage = can_manage_programme(current_user)
    return render_template(
        "stakeholders/organisation.html",
        organisation=organisation,
        page=queries.organisation_page(organisation, with_contacts=can_manage),
        can_manage=can_manage,
        form=ConfirmDeleteForm(formdata=None),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    require_programme_manager()
    return _organisation_form(None, _("New organisation"))


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    _require_live(organisation)
    return _organisation_form(organisation, _("Edit organisation"))


def _organisation_form(organisation: Organisation | None, title: str):
    form = OrganisationForm(obj=organisation, municipalities=queries.municipalities())
    saved: list[Organisation] = []
    return save_form(
        form,
        organisation,
        "form_page.html",
        apply=lambda: saved.append(services.save_organisation(organisation, form.data)),
        success=_("Organisation saved."),
        redirect_to=lambda: _page(saved[0].id),
        title=title,
        cancel_url=_page(organisation.id) if organisation else url_for("stakeholders.index"),
    )


@bp.route("/<int:organisation_id>/archive", methods=["GET", "POST"])
@login_required
def archive_organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    _require_live(organisation)
    form = ConfirmDeleteForm()
    status = 200
    if form.is_submitted():
        if form.validate() and not is_stale(form, organisation):
            services.archive(organisation)
            try:
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
            else:
                flash(_("Organisation archived."), "success")
                return redirect(_page(organisation.id))
        flash(_("Someone else changed this record meanwhile. Check it, then try again."), "error")
        status = 409
    form.version.data = str(organisation.version)
    return render_template(
        "setup/archive.html",
        form=form,
        what=organisation.name,
        explanation=_(
            "An archived organisation leaves the register, the participation per municipality "
            "and the choice lists. Its page, its links with subprojects and its history stay "
            "readable, and you can restore it at any time. Contact persons stay until they are "
            "erased or purged."
        ),
        back_to=_page(organisation.id),
    ), status


@bp.route("/<int:organisation_id>/restore", methods=["POST"])
@login_required
def restore_organisation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    if organisation.archived_at is not None:
        try:
            services.restore(organisation)
        except Invalid as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(_page(organisation.id)), 303
        db.session.commit()
    flash(_("Organisation restored."), "success")
    return redirect(_page(organisation.id))


# --- Taking part in subprojects and circles --------------------------------------------------


@bp.route("/<int:organisation_id>/subprojects/new", methods=["GET", "POST"])
@login_required
def new_participation(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    _require_live(organisation)
    form = ParticipationForm(subprojects=queries.live_subprojects())
    return save_form(
        form,
        None,
        "form_page.html",
        apply=lambda: services.add_participation(
            organisation, form.subproject_id.data, form.role.data
        ),
        success=_("Organisation linked."),
        redirect_to=lambda: _page(organisation.id, "subprojects"),
        title=_("%(name)s takes part in a subproject", name=organisation.name),
        cancel_url=_page(organisation.id, "subprojects"),
    )


@bp.route("/<int:organisation_id>/members/new", methods=["GET", "POST"])
@login_required
def new_member(organisation_id: int):
    circle = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    _require_live(circle)
    if circle.kind != "technet_circle":
        abort(404)
    candidates = [o for o in queries.live_organisations() if o.id != circle.id]
    form = MemberForm(organisations=candidates)
    return save_form(
        form,
        None,
        "form_page.html",
        apply=lambda: services.add_member(circle, form.member_id.data),
        success=_("Member added."),
        redirect_to=lambda: _page(circle.id, "members"),
        title=_("New member of %(name)s", name=circle.name),
        cancel_url=_page(circle.id, "members"),
    )


@bp.route("/memberships/<int:membership_id>/delete", methods=["GET", "POST"])
@login_required
def delete_membership(membership_id: int):
    membership = db.get_or_404(CircleMembership, membership_id)
    require_programme_manager()
    back = _page(membership.circle_id, "members")
    return delete_record(
        membership,
        what=_(
            "membership of %(member)s in %(circle)s",
            member=membership.member.name,
            circle=membership.circle.name,
        ),
        dependents=[],
        back_to=back,
        success=_("Member removed."),
        redirect_to=back,
    )


# --- Merging a duplicate ---------------------------------------------------------------------


@bp.route("/<int:organisation_id>/merge", methods=["GET", "POST"])
@login_required
def merge(organisation_id: int):
    """Step one: choose the organisation to keep; nothing changes yet."""
    duplicate = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    likely, others = queries.merge_candidates(duplicate)
    form = MergeChoiceForm(likely=likely, others=others)
    if form.validate_on_submit():
        return redirect(
            url_for(
                "stakeholders.confirm_merge",
                organisation_id=duplicate.id,
                keep_id=form.keep_id.data,
            )
        )
    return render_template(
        "stakeholders/merge.html",
        form=form,
        duplicate=duplicate,
        likely=likely,
        title=_("Merge %(name)s with…", name=duplicate.name),
        cancel_url=_page(duplicate.id),
    ), 400 if form.errors else 200


@bp.route("/<int:organisation_id>/merge/<int:keep_id>", methods=["GET", "POST"])
@login_required
def confirm_merge(organisation_id: int, keep_id: int):
    """Step two: everything that moves and what is joined, then merge. The form carries the
    fingerprint of what it showed: if either organisation or anything that moves changed
    meanwhile, the merge is refused (409) and the page shows the plan as it is now."""
    duplicate = db.get_or_404(Organisation, organisation_id)
    keep = db.get_or_404(Organisation, keep_id)
    require_programme_manager()
    if duplicate.id == keep.id:
        refuse(
            400,
            _("Not merged"),
            _("An organisation cannot be merged with itself: choose the one to keep."),
        )
    plan = merging.plan(duplicate, keep)
    form = MergeConfirmForm()
    status = 200
    if form.is_submitted():
        status = 409
        if not form.validate() or form.version.data != plan.fingerprint():
            flash(
                _(
                    "Someone changed these organisations or their records meanwhile. Check "
                    "what moves now, then merge again."
                ),
                "error",
            )
        elif merging.refusal(plan) is None:
            duplicate_name = duplicate.name
            try:
                merging.apply(plan)
                db.session.commit()
            except (StaleDataError, IntegrityError):
                db.session.rollback()
                flash(
                    _("Someone else changed this record meanwhile. Check it, then try again."),
                    "error",
                )
                return redirect(request.url), 303
            flash(
                _("%(duplicate)s merged with %(keep)s.", duplicate=duplicate_name, keep=keep.name),
                "success",
            )
            return redirect(_page(keep.id))
    form.version.data = plan.fingerprint()
    return render_template(
        "stakeholders/merge_confirm.html",
        form=form,
        plan=plan,
        refusal=merging.refusal(plan),
        back_to=url_for("stakeholders.merge", organisation_id=duplicate.id),
    ), status


# --- Participation per municipality ----------------------------------------------------------


@bp.route("/municipalities/<int:municipality_id>")
@login_required
def municipality(municipality_id: int):
    municipality = db.get_or_404(Municipality, municipality_id)
    return render_template(
        "stakeholders/municipality.html",
        municipality=municipality,
        municipalities=queries.municipalities(),
        view=queries.participation_in(municipality),
        can_manage=can_manage_programme(current_user),
    )


# --- Contact persons (personal data) ---------------------------------------------------------


@bp.route("/contacts")
@login_required
def contacts():
    require_programme_manager()
    return render_template(
        "stakeholders/contacts.html",
        rows=queries.contacts(),
        municipalities=queries.municipalities(),
    )


@bp.route("/<int:organisation_id>/contacts/new", methods=["GET", "POST"])
@login_required
def new_contact(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    require_programme_manager()
    _require_live(organisation)
    return _contact_form(organisation, None, _("New contact person"))


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id: int):
    require_programme_manager()
    contact = db.get_or_404(Contact, contact_id)
    return _contact_form(contact.organisation, contact, _("Edit contact person"))


def _contact_form(organisation: Organisation, contact: Contact | None, title: str):
    form = ContactForm(obj=contact)
    return save_form(
        form,
        contact,
        "stakeholders/contact_form.html",
        apply=lambda: services.save_contact(contact, organisation, form.data, current_user),
        success=_("Contact person saved."),
        redirect_to=lambda: _page(organisation.id, "contacts"),
        title=title,
        organisation=organisation,
        cancel_url=_page(organisation.id, "contacts"),
    )


@bp.route("/contacts/<int:contact_id>/confirm", methods=["POST"])
@login_required
def confirm_contact(contact_id: int):
    require_programme_manager()
    contact = db.get_or_404(Contact, contact_id)
    form = ConfirmDeleteForm()
    if not form.validate() or is_stale(form, contact):
        flash(_("Someone else changed this record meanwhile. Check it, then try again."), "error")
        return redirect(_page(contact.organisation_id, "contacts")), 303
    services.confirm_contact(contact)
    db.session.commit()
    flash(_("Confirmed: the details are current and still needed."), "success")
    return redirect(_page(contact.organisation_id, "contacts"))


EXPORT_TYPES = {
    "json": ("application/json", privacy.as_json),
    "csv": ("text/csv; charset=utf-8", privacy.as_csv),
}


@bp.route("/contacts/<int:contact_id>/export/<fmt>")
@login_required
def export_contact(contact_id: int, fmt: str):
    require_programme_manager()
    contact = db.get_or_404(Contact, contact_id)
    if fmt not in EXPORT_TYPES:
        abort(404)
    mimetype, render = EXPORT_TYPES[fmt]
    body = render(privacy.held_about(contact))
    if fmt == "csv":
        body = "\ufeff" + body  # so Excel reads the accents
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="contactpersoon-{contact.id}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"])
@login_required
def erase_contact(contact_id: int):
    require_programme_manager()
    contact = db.get_or_404(Contact, contact_id)
    organisation_id = contact.organisation_id
    form = ConfirmDeleteForm()
    status = 200
    if form.is_submitted():
        if form.validate() and not is_stale(form, contact):
            privacy.erase(contact)
            try:
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
            else:
                flash(
                    _("The contact person is erased, also from the history of changes."),
                    "success",
                )
                return redirect(_page(organisation_id, "contacts"))
        flash(_("Someone else changed this record meanwhile. Check it, then try again."), "error")
        status = 409
    form.version.data = str(contact.version)
    return render_template(
        "stakeholders/erase.html", form=form, contact=contact, back_to=_page(organisation_id)
    ), status
