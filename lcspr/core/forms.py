"""GOV.UK Frontend form rendering: a form renderer whose templates (templates/forms/) produce
the Design System's markup for every field type we use, a GOV.UK date field (day, month, year),
and a mixin that gives each field a message naming it."""

import datetime
import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from lcspr.core.exceptions import StaleEdit
from lcspr.core.versions import version_of


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: three text boxes for day, month and year."""

    template_name = "forms/widgets/date.html"

    def __init__(self, attrs=None):
        parts = [
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        ]
        super().__init__(parts, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with messages that say what is wrong."""

    widget = GovukDateWidget

    def __init__(self, *, min_year=1900, max_year=2100, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        fields = [forms.CharField(), forms.CharField(), forms.CharField()]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        value = [str(v or "").strip() for v in (value or ["", "", ""])]
        name = (self.label or "the date").lower() if self.label else "the date"
        if not any(value):
            if self.required:
                raise ValidationError(f"Enter {name}", code="required")
            return None
        missing = [part for part, v in zip(("day", "month", "year"), value, strict=True) if not v]
        if missing:
            raise ValidationError(
                f"{self.label or 'The date'} must include a {' and '.join(missing)}",
                code="incomplete",
            )
        if not all(v.isdigit() for v in value):
            raise ValidationError(f"{self.label or 'The date'} must be a real date", code="invalid")
        day, month, year = (int(v) for v in value)
        if len(value[2]) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid")
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                f"{self.label or 'The date'} must be a real date", code="invalid"
            ) from None
        if not self.min_year <= year <= self.max_year:
            raise ValidationError(
                f"{self.label or 'The date'} must be between {self.min_year} and {self.max_year}",
                code="out_of_range",
            )
        return date

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list


# Text pasted from other systems can carry control characters that no one can see but that
# break exports, e-mails and PDFs. Tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A text field with no limit of its own gets one, so a huge paste is refused with a message
# naming the field rather than stored (or cut short) silently.
MAX_LINE_CHARS = 500
MAX_TEXT_CHARS = 50_000


def _sentence_label(name: str, field) -> str:
    label = str(field.label or "").strip() or name.replace("_", " ")
    return label[0].upper() + label[1:]


def guard_text_field(name: str, field) -> None:
    """Give a text field the project's rules: no control characters, and a maximum length,
    each refused with a message naming the field."""
    label = _sentence_label(name, field)
    if field.max_length is None:
        field.max_length = (
            MAX_TEXT_CHARS if isinstance(field.widget, forms.Textarea) else MAX_LINE_CHARS
        )
        field.validators.append(validators.MaxLengthValidator(field.max_length))
    field.error_messages.setdefault(
        "max_length", f"{label} must be {field.max_length:,} characters or fewer"
    )
    # Our rule covers NUL too, with a message that names the field.
    field.validators = [
        v for v in field.validators if not isinstance(v, validators.ProhibitNullCharactersValidator)
    ]
    field.validators.append(
        validators.RegexValidator(
            CONTROL_CHARACTERS,
            message=f"{label} must not contain control characters",
            code="control_characters",
            inverse_match=True,
        )
    )


# The range of the database's integer keys: an id outside it is refused as a wrong choice
# rather than sent to the database, which cannot even compare it.
_MAX_ID = 2**63 - 1


def guard_id_choices(field) -> None:
    """Refuse ids too large for the database in a multiple choice of objects (Django checks a
    single choice itself, but sends a list of ids to the database as they are)."""
    original = field.clean

    def clean(value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # Django refuses it with its own message
            if abs(number) > _MAX_ID:
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:30]},
                )
        return original(value)

    field.clean = clean


class GovukFormMixin:
    """Required-field messages in the Design System's words: "Enter ..." / "Select ...", and
    the project's rules for text (see guard_text_field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                guard_text_field(name, field)
            elif isinstance(field, forms.ModelMultipleChoiceField):
                guard_id_choices(field)
            label = str(field.label or "").strip()
            if not label or "required" in getattr(field, "_custom_messages", ()):
                continue
            lowered = label[0].lower() + label[1:] if not label[:2].isupper() else label
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
                field.error_messages["required"] = f"Select {lowered}"
            elif isinstance(field, forms.FileField):
                field.error_messages["required"] = f"Choose {lowered}"
                what = re.sub(r"^the |\s*\(.*\)$", "", lowered)
                field.error_messages["empty"] = f"The selected {what} is empty"
            elif not isinstance(field, GovukDateField):
                field.error_messages["required"] = f"Enter {lowered}"

    def full_clean(self):
        super().full_clean()
        # A refused version (a page altered by hand) is said at the top in plain words: Django
        # would prefix it "(Hidden field version)", and a link to a hidden input leads nowhere.
        for message in self._errors.pop("version", []) if self._errors else []:
            self.add_error(None, message)


class Form(GovukFormMixin, forms.Form):
    pass


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass


class VersionedFormMixin:
    """An edit form of an existing record: a hidden `version`, the record's version when the
    page was read (set it in `initial` from lcspr.core.versions.version_of), which the service
    checks so that a save over someone else's newer change is refused, not silently lost.

    `boolean_choices` maps a multiple-choice field to the record's yes/no fields its boxes
    stand for, so a refused save shows the boxes someone else has since ticked or unticked."""

    boolean_choices: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = _version_field()

    @property
    def changed_data(self):
        """The fields the person changed: the version they send back is not one of them."""
        return [name for name in super().changed_data if name != "version"]


# Only a page altered by hand sends a version that is not a number of ours.
_BAD_VERSION = "This page has been changed since it was opened: open it again and make your changes"


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=_MAX_ID,
        error_messages={
            "invalid": _BAD_VERSION,
            "min_value": _BAD_VERSION,
            "max_value": _BAD_VERSION,
        },
    )


def carry_version(form, record) -> None:
    """Give a form that both adds and edits the hidden `version` of the `record` it edits, as
    read now (the same as VersionedFormMixin with the version in `initial`)."""
    form.fields["version"] = _version_field()
    form.fields["version"].initial = version_of(record)


def without_version(cleaned_data: dict) -> dict:
    """A versioned form's cleaned data without its version (the fields it edits)."""
    return {k: v for k, v in cleaned_data.items() if k != "version"}


def not_in_future(value, label: str):
    """A cleaned date that must be today or earlier (a form's clean_<field> returns this)."""
    if value and value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past")
    return value


def apply_workflow_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: messages keyed by a field go on that field,
    everything else at the top of the error summary."""
    if isinstance(error, StaleEdit):
        _show_current_version(form, error)
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            for message in messages:
                form.add_error(key if key in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _show_current_version(form, error: StaleEdit) -> None:
    """After a refused save over a newer version: the form now carries the current version,
    the fields the person left alone show the other person's values, and the ones they
    changed keep what they typed, so saving again applies their changes on top, knowingly."""
    if form.data is None or "version" not in form.fields:
        return
    data = form.data.copy()
    data[form.add_prefix("version")] = str(error.version)
    cleaned = dict(getattr(form, "cleaned_data", {}))
    groups = getattr(form, "boolean_choices", {})
    for name, then, now in error.changes:
        if name in form.fields and _same(cleaned.get(name), then):
            _put(data, form[name], now)
        group = next((g for g, names in groups.items() if name in names), None)
        if group is None:
            continue
        # One box of a group of checkboxes: refreshed when the person left it as it was.
        ticked = set(cleaned.get(group) or ())
        if (name in ticked) == bool(then):
            cleaned[group] = ticked | {name} if now else ticked - {name}
            _put(data, form[group], sorted(cleaned[group]))
    form.data = data


def _comparable(value):
    if isinstance(value, QuerySet | list | tuple | set):
        return {_comparable(v) for v in value}
    return value.pk if isinstance(value, Model) else value


def _same(a, b) -> bool:
    empty = (None, "")
    if a in empty and b in empty:
        return True
    return _comparable(a) == _comparable(b)


def _put(data, bound_field, value) -> None:
    """Put `value` in posted `data` as the field's widget would have sent it."""
    field, name = bound_field.field, bound_field.html_name
    value = field.prepare_value(value)
    if isinstance(value, datetime.time):
        value = value.strftime("%H:%M")
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        for suffix, part in zip(widget.widgets_names, widget.decompress(value), strict=True):
            data[name + suffix] = "" if part is None else str(part)
    elif isinstance(value, list | tuple | set):
        parts = [str(v) for v in value]
        if hasattr(data, "setlist"):
            data.setlist(name, parts)
        else:
            data[name] = parts
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    else:
        data[name] = "" if value is None else str(value)


def textarea(label, *, required=False, help_text="", rows=5) -> forms.CharField:
    """A text box field (the project's limits and messages come from GovukFormMixin)."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
