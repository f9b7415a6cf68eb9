import json

from autograder.results import CellResult, SubmissionResult, load, save


def _result():
    return SubmissionResult(
        student="ann",
        lesson="lesson01",
        status="graded",
        digest="abc",
        cells=[
            CellResult("t1", 1.5, 2.0, "Half right.", "sign-error", "lesson01.rule"),
            CellResult("t2", 1.0, 1.0),
        ],
        flags=["late"],
        sandbox=["resource limits"],
    )


def test_round_trip_and_totals(tmp_path):
    r = _result()
    save(r, tmp_path)
    back = load(tmp_path)
    assert back == r
    assert (back.score, back.max_score) == (2.5, 3.0)


def test_a_torn_or_foreign_file_reads_as_not_graded(tmp_path):
    (tmp_path / "autograder.json").write_text('{"student": "ann", "less')
    assert load(tmp_path) is None
    (tmp_path / "autograder.json").write_text(json.dumps({"unexpected": 1}))
    assert load(tmp_path) is None
    assert load(tmp_path / "nowhere") is None


def test_save_leaves_no_temporary_files(tmp_path):
    save(_result(), tmp_path)
    save(_result(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autograder.json"]
