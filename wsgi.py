"""WSGI entry point: `gunicorn wsgi:app`. Settings come from environment variables."""

from eventapp import create_app

app = create_app()
