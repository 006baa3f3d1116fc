"""seeds/demo-partnering.toml: loadable by the CLI, idempotent, a working directory."""

from eventapp.cli import DEFAULT_SEED_FILE
from eventapp.models import Organization, Participant, PartneringTag, Role, db
from eventapp.services import seeding

DEMO = "seeds/demo-partnering.toml"
SLUG = "rokus-space-industry-symposium-2023"


def test_demo_loads_by_the_cli_twice_and_the_directory_shows_it(app, runner, client, login_as):
    assert runner.invoke(args=["seed", str(DEFAULT_SEED_FILE)]).exit_code == 0
    first = runner.invoke(args=["seed", DEMO])
    assert first.exit_code == 0, first.output
    assert runner.invoke(args=["seed", DEMO]).exit_code == 0
    with app.app_context():
        names = db.session.scalars(
            db.select(Organization.name).where(Organization.key.like("demo-%"))
        )
        assert all("Example" in name for name in names)
        websites = db.session.scalars(
            db.select(Organization.website).where(Organization.key.like("demo-%"))
        )
        assert all(site.endswith(".example.org") for site in websites)
        assert db.session.scalar(db.select(db.func.count(PartneringTag.id))) == 12
        assert all(db.session.scalars(db.select(PartneringTag.name_ko)))
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 5
        token = db.session.scalar(
            db.select(Participant).join(Participant.registration).limit(1)
        ).registration.manage_token
    html = client.get(f"/e/{SLUG}/partnering", query_string={"me": token}).get_data(as_text=True)
    assert "Example" in html
    login_as(Role.ORGANIZER)
    assert client.get(f"/e/{SLUG}/partnering").status_code == 200


def test_an_unknown_tag_in_the_demo_table_is_refused(ctx):
    import pytest

    from eventapp.errors import SeedError

    seeding.load_file(DEFAULT_SEED_FILE)
    data = seeding.read_file(DEMO)
    data["partnering"]["organizations"][0]["offers"] = ["warp-drive"]
    with pytest.raises(SeedError, match="unknown tag 'warp-drive'"):
        seeding.load(data, source="demo")
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
