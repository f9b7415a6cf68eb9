"""HTML templates of the pages the autograder writes."""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment, Template

_ENV = Environment(autoescape=True)


def template(name: str) -> Template:
    return _ENV.from_string(files(__name__).joinpath(name).read_text(encoding="utf-8"))
