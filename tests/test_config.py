import pytest

from eventapp import create_app
from eventapp.config import settings_from_env


def test_settings_from_env_reads_documented_names():
    settings = settings_from_env(
        {
            "SECRET_KEY": "s",
            "DATABASE_URL": "postgresql+psycopg://u@h/db",
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "true",
            "MAIL_DEFAULT_SENDER": "Events <events@example.org>",
        }
    )

    assert settings["SECRET_KEY"] == "s"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert settings["MAIL_SERVER"] == "smtp.example.org"
    assert settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True
    assert settings["MAIL_USE_SSL"] is False


def test_default_database_is_sqlite_in_instance_folder():
    assert settings_from_env({})["SQLALCHEMY_DATABASE_URI"] == "sqlite:///eventapp.db"


def test_app_refuses_to_start_without_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    # Nor a development secret: `make run` may have written one into instance/.
    monkeypatch.setattr("eventapp.config.secret_from_instance", lambda app: "")

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SECRET_KEY": "", "TESTING": False, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_proxy_count_trusts_forwarded_client_address(make_app):
    app = make_app(PROXY_COUNT=1)

    @app.get("/probe-remote")
    def probe():
        from flask import request

        return request.remote_addr or ""

    response = app.test_client().get(
        "/probe-remote",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )

    assert response.get_data(as_text=True) == "203.0.113.7"


def test_checkin_commit_is_not_durable_unless_asked():
    assert settings_from_env({})["CHECKIN_DURABLE_COMMIT"] is False
    assert settings_from_env({"CHECKIN_DURABLE_COMMIT": "1"})["CHECKIN_DURABLE_COMMIT"] is True
