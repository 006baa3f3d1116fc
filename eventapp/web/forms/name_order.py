"""The name-order choice (#22), the same on the public, self-service and back-office forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from eventapp.labels import NAME_ORDER_LABELS
from eventapp.names import NameOrder


def _choices() -> list[SelectChoice]:
    # Called per form: the labels are translated in the language of the request.
    return [
        SelectChoice("", _l("Automatic: family name first for a Korean name")),
        *(SelectChoice(order.value, label) for order, label in NAME_ORDER_LABELS.items()),
    ]


def name_order_field(label: Any = None) -> SelectField:
    """A select of `NameOrder`; the empty choice leaves it to `names.default_order`."""
    return SelectField(
        label or _l("Name order in Latin letters"),
        choices=_choices,
        default="",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def chosen_order(field: SelectField) -> NameOrder | None:
    """The field's choice, or None for "automatic"."""
    return NameOrder(field.data) if field.data else None
