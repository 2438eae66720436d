"""Form fields shared by the feature forms: Dutch dates and numbers as people type them."""

from __future__ import annotations

from datetime import date, datetime
from numbers import Number

from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from tracker.i18n import date_format, number_format
from tracker.i18n import lazy_gettext as _l
from tracker.numbers import MAX_MAGNITUDE, InvalidNumber, OutOfRange, parse_number

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


class DutchDateField(DateField):
    """A date from a date picker (2026-09-30) or typed the Dutch way (30-09-2026)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=list(DATE_FORMATS), **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for pattern in DATE_FORMATS:
            try:
                self.data = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if not 1900 <= self.data.year <= 2999:
                break
            return
        self.data = None
        raise ValueError(_l("Enter a date such as 30-09-2026."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""


class DutchNumberField(StringField):
    """A number typed with a decimal comma (12,5) or point (12.5); ``data`` is a float or None."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = parse_number(valuelist[0])
        except OutOfRange as error:
            raise ValueError(
                _l(
                    "Enter a number between -%(limit)s and %(limit)s.",
                    limit=number_format(MAX_MAGNITUDE),
                )
            ) from error
        except InvalidNumber as error:
            raise ValueError(_l("Enter a number such as 12,5.")) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        value = float(self.data)
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",")


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value reads as a clear sentence."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        allowed = {str(value) for value, *_ in (self.choices or [])}
        if str(self.data) not in allowed:
            raise ValidationError(_l("Choose an option from the list."))


class IdsField(SelectMultipleField):
    """Several records chosen by id; an unknown or malformed id reads as a clear sentence."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        kwargs.setdefault("coerce", int)  # so the chosen ids show as selected
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Choose an option from the list.")

    def process_formdata(self, valuelist):
        self.data = []
        self._malformed = False
        for value in valuelist:
            try:
                self.data.append(int(value))
            except (TypeError, ValueError):
                self._malformed = True

    def pre_validate(self, form):
        allowed = {int(value) for value, *_ in (self.choices or [])}
        if getattr(self, "_malformed", False) or any(v not in allowed for v in self.data or []):
            raise ValidationError(self.message)


def field_text(field) -> str:
    """A form field's value as text, for a page shown read-only (a closed quarter): the label of
    a chosen option, a date as 30-09-2026, a number as 1.234,5, "–" for nothing."""
    data = field.data
    if isinstance(data, bool):
        return str(_l("Yes") if data else _l("No"))
    if data is None or data == "" or data != data:
        return "–"
    for value, label, *_rest in getattr(field, "iter_choices", lambda: [])() or []:
        if str(value) == str(data):
            return str(label)
    if isinstance(data, datetime):
        return date_format(data.date())
    if isinstance(data, date):
        return date_format(data)
    if isinstance(data, Number):
        return number_format(float(data), 3)
    return str(data)
