from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class SubprojectForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    aim = TextAreaField(
        _l("Aim"), validators=[Length(max=5000, message=_l("At most 5000 characters."))]
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))
