"""Collect and grade a class's submissions: collect -> execute -> check -> record -> report."""

import sys

# jsonschema imports the optional ``rfc3987_syntax`` at start-up, which builds a
# grammar for a full second; nothing here checks IRI formats, so tell
# jsonschema it is absent (it then simply skips that format).
sys.modules.setdefault("rfc3987_syntax", None)
