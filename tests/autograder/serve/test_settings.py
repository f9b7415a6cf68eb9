"""The serve's own files: secrets only their owner reads."""

from __future__ import annotations

from autograder.serve.settings import write_secret


def test_a_secret_replaces_a_readable_file_with_an_owners_only_one(tmp_path):
    path = tmp_path / "serve" / "token"
    path.parent.mkdir()
    path.write_text("old\n")
    path.chmod(0o644)  # left by hand, or by an older grader
    write_secret(path, "new")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o600
