"""The grader never reads or writes through a link, and names what it found instead."""

from __future__ import annotations

import os

import pytest

from autograder.safe_files import UnsafeFile, copy_tree, read_file, write_file


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET")
    sub = tmp_path / "submitted" / "ann" / "lesson01"
    sub.mkdir(parents=True)
    (sub / "lesson01.ipynb").write_text("{}")
    return tmp_path


def test_reads_a_regular_file(tree):
    assert read_file(tree / "submitted", ["ann", "lesson01", "lesson01.ipynb"]) == b"{}"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p, t: (p.unlink(), p.symlink_to(t / "secret.txt")), "symbolic link"),
        (lambda p, t: (p.unlink(), p.mkdir()), "a folder"),
        (lambda p, t: (p.unlink(), os.mkfifo(p)), "named pipe"),
    ],
    ids=["link", "folder", "fifo"],
)
def test_refuses_anything_but_a_regular_file(tree, make, words):
    path = tree / "submitted" / "ann" / "lesson01" / "lesson01.ipynb"
    make(path, tree)
    with pytest.raises(UnsafeFile, match=words):
        read_file(tree / "submitted", ["ann", "lesson01", "lesson01.ipynb"])


def test_refuses_a_linked_folder_on_the_way(tree):
    (tree / "submitted" / "bob").symlink_to(tree / "submitted" / "ann")
    with pytest.raises(UnsafeFile, match="bob is a symbolic link"):
        read_file(tree / "submitted", ["bob", "lesson01", "lesson01.ipynb"])


def test_missing_is_not_found(tree):
    with pytest.raises(FileNotFoundError):
        read_file(tree / "submitted", ["ann", "lesson01", "other.ipynb"])


def test_too_large_is_refused(tree):
    with pytest.raises(UnsafeFile, match="larger than"):
        read_file(tree / "submitted", ["ann", "lesson01", "lesson01.ipynb"], max_bytes=1)


@pytest.mark.parametrize("planted", ["link", "dangling", "folder"])
def test_writing_replaces_a_planted_entry_never_writes_through_it(tree, planted):
    out = tree / "autograded"
    out.mkdir()
    target = out / "lesson01.ipynb"
    if planted == "link":
        target.symlink_to(tree / "secret.txt")
    elif planted == "dangling":
        target.symlink_to(tree / "PWNED")
    else:
        target.mkdir()
        (target / "inner").symlink_to(tree / "secret.txt")
    write_file(out, "lesson01.ipynb", b"graded")
    assert (tree / "secret.txt").read_text() == "SECRET"
    assert not (tree / "PWNED").exists()
    assert not target.is_symlink() and target.read_bytes() == b"graded"
    assert sorted(os.listdir(out)) == ["lesson01.ipynb"]


def test_copy_leaves_out_links_and_pipes_and_names_them(tree):
    sub = tree / "submitted" / "ann" / "lesson01"
    (sub / "data").mkdir()
    (sub / "data" / "points.csv").write_text("1,2")
    (sub / "data" / "leak").symlink_to(tree / "secret.txt")
    os.mkfifo(sub / "pipe")
    dest = tree / "out"
    skipped = copy_tree(tree / "submitted", ["ann", "lesson01"], dest, skip_suffix=".ipynb")
    assert sorted(skipped) == ["data/leak (a symbolic link)", "pipe (a named pipe (FIFO))"]
    assert (dest / "data" / "points.csv").read_text() == "1,2"
    assert not (dest / "lesson01.ipynb").exists() and not (dest / "data" / "leak").exists()


def test_files_written_without_their_own_sync_are_synced_once_per_filesystem(tmp_path, monkeypatch):
    import autograder.safe_files as safe_files

    fsyncs, syncs = [], []
    monkeypatch.setattr(safe_files.os, "fsync", fsyncs.append)
    for name in ("a", "b"):
        write_file(tmp_path / name, "nb.ipynb", b"{}", durable=False)
    assert fsyncs == [] and (tmp_path / "a" / "nb.ipynb").read_bytes() == b"{}"
    monkeypatch.setattr(safe_files, "_syncfs", lambda fd: syncs.append(fd) or 0)
    safe_files.sync_filesystems([tmp_path / "a", tmp_path / "b", tmp_path / "gone"])
    assert len(syncs) == 1  # one filesystem; a folder never written is no error
    write_file(tmp_path / "a", "nb.ipynb", b"[]")
    assert len(fsyncs) == 1  # durable by default


def test_without_syncfs_every_filesystem_is_synced(tmp_path, monkeypatch):
    import autograder.safe_files as safe_files

    synced = []
    monkeypatch.setattr(safe_files, "_syncfs", lambda fd: -1)
    monkeypatch.setattr(safe_files.os, "sync", lambda: synced.append(True))
    safe_files.sync_filesystems([tmp_path])
    assert synced == [True]


def test_the_real_syncfs_answers(tmp_path):
    import autograder.safe_files as safe_files

    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert safe_files._syncfs(fd) == 0
    finally:
        os.close(fd)
