"""The baseline: a bare Flask app that answers "hello", served the same way as voice_app."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
