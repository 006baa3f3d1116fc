"""Any name people type survives into the stored row and the email headers and body."""

from datetime import timedelta
from email import message_from_string
from email.header import decode_header, make_header
from email.policy import default

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eventapp.models import OutboxMessage, db
from eventapp.services.registration import register
from tests.factories import SEOUL_MORNING, make_event, make_registration_data

NOW = SEOUL_MORNING - timedelta(days=3)

#: Letters, marks, digits and symbols (emoji) of any script, hyphens, apostrophes and
#: single spaces: what the form passes on after collapsing whitespace.
names = st.text(
    alphabet=st.characters(whitelist_categories=("L", "M", "N", "So")) | st.sampled_from(" -'"),
    min_size=1,
    max_size=30,
).filter(lambda text: text and " ".join(text.split()) == text)


def _display_name(raw_message: str) -> str:
    """The To display name decoded by RFC 2047's rule (whitespace between two encoded
    words is dropped), which mail clients follow; Python 3.11's new header parser keeps
    it when a long name was folded into several encoded words."""
    folded = message_from_string(raw_message)["To"]  # compat32: the raw header text
    unfolded = folded.replace("\r\n", "").replace("\n", "")
    name_part = unfolded.rsplit("<", 1)[0].strip()
    return str(make_header(decode_header(name_part))).strip('"')


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_name=names, family_name=names)
# Long enough to fold into several encoded words; Python 3.11's folder lost the last space.
@example(given_name="María José", family_name="Hernández-Rodríguez de la Peña")
@example(given_name="00000 0¦¦¦¦¦¦¦¦¦¦𐀀𐀀𐀀𐀀", family_name="¦ ¦")
def test_any_name_round_trips_through_registration_and_email(ctx, given_name, family_name):
    data = make_registration_data(given_name=given_name, family_name=family_name)

    registration = register(make_event(), data, now=NOW).registration

    message = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
    ).one()
    assert message.raw.isascii()
    assert _display_name(message.raw) == registration.name
    parsed = message_from_string(message.raw, policy=default)
    assert parsed["To"].addresses[0].addr_spec == registration.email
    first_line = parsed.get_body(("plain",)).get_content().splitlines()[0]
    assert first_line == f"Hello {registration.name},"
