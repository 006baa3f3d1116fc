"""The bare baseline: a trivial Flask view, served by the same gunicorn settings as the product.

Every HTTP figure is reported as a ratio to this view's throughput measured in the same run,
so the numbers mean something on a busy or slow machine. Not part of the product.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, bench."
