"""Template helpers for GOV.UK Frontend markup and the one permission tag templates use."""

from django import forms, template
from django.utils.html import format_html_join

from lcspr.core import permissions
from lcspr.core.forms import GovukDateWidget

register = template.Library()

_INPUT_CLASSES = {
    "text": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
}


@register.filter
def widget_kind(bound_field) -> str:
    """What GOV.UK component a field is drawn with."""
    widget = bound_field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "text"


@register.simple_tag
def govuk_widget(bound_field, describedby=""):
    """Render a field's widget with the GOV.UK classes, error state and aria-describedby."""
    kind = widget_kind(bound_field)
    widget = bound_field.field.widget
    classes = [_INPUT_CLASSES.get(kind, "govuk-input")]
    if widget.attrs.get("class"):
        classes.append(widget.attrs["class"])
    if bound_field.errors:
        classes.append(f"{_INPUT_CLASSES.get(kind, 'govuk-input').split()[0]}--error")
    attrs = {"class": " ".join(classes)}
    if describedby:
        attrs["aria-describedby"] = describedby
    return bound_field.as_widget(attrs=attrs)


@register.filter
def first_widget_id(bound_field) -> str:
    """The id the error summary links to: the first box of a multi-part field."""
    kind = widget_kind(bound_field)
    if kind in {"date", "radios", "checkboxes"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag(takes_context=True)
def can(context, action, obj):
    """`{% can "approve" draft as may_approve %}`: asks the rule registered for the action."""
    return permissions.can(context["request"].user, action, obj)


@register.simple_tag
def attrs_html(attrs):
    return format_html_join(" ", '{}="{}"', attrs.items())
