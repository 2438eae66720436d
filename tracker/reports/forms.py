from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.i18n import date_format
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l

# How much of a decision's text its option shows; the page lists every decision in full.
OPTION_TEXT = 120


class ReopenForm(FlaskForm):
    """Reopening withdraws an approved report, so it asks why; the reason goes to the audit."""

    reason = TextAreaField(
        _l("Reason for reopening"),
        description=_l(
            "For example which figure is wrong and who asked for the correction. It is kept in "
            "the change history with your name."
        ),
        validators=[
            DataRequired(_l("Give the reason for reopening.")),
            Length(max=2000, message=_l("At most 2000 characters.")),
        ],
    )


class ClosingForm(FlaskForm):
    """Closing a quarter says which decision of the steering group approved its report: the
    cover prints it, so the manager chooses it from the decision log, grouped by meeting."""

    decision = SelectField(
        _l("Decision that approved the report"),
        description=_l(
            "The steering group's decision, in the meeting it was taken, by which the report "
            "was approved. The report's cover names it."
        ),
        validate_choice=False,
    )

    def __init__(self, candidates: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(c["id"]): c for c in candidates}
        groups: dict[str | None, list[tuple[str, str]]] = {
            None: [("", _("Choose a decision of the steering group"))]
        }
        self.meetings: dict[str, list[dict]] = {}
        for c in candidates:
            meeting = f"{date_format(c['held_on'])} · {c['meeting_title']}"
            self.meetings.setdefault(meeting, []).append(c)
            groups.setdefault(meeting, []).append((str(c["id"]), _option(c)))
        self.decision.choices = groups

    def validate_decision(self, field) -> None:
        if not field.data:
            raise ValidationError(
                _("Choose the decision by which the steering group approved the report.")
            )
        if field.data not in self.candidates:
            raise ValidationError(
                _(
                    "Choose a decision from the list: of a meeting of this programme, held after "
                    "the quarter ended."
                )
            )

    @property
    def chosen(self) -> dict:
        return self.candidates[self.decision.data]


def _option(candidate: dict) -> str:
    text = " ".join(candidate["text"].split())
    if len(text) > OPTION_TEXT:
        text = text[: OPTION_TEXT - 1].rstrip() + "…"
    return _("Decision %(number)s: %(text)s", number=candidate["number"], text=text)
