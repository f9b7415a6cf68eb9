import pytest

from autograder.course import Course, CourseError


def test_a_folder_without_config_is_not_a_course(tmp_path):
    with pytest.raises(CourseError, match="not a course directory"):
        Course.open(tmp_path)


def test_paths_follow_the_config_wherever_the_course_was_copied(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.root = '/somewhere/else'\n"
        "c.CourseDirectory.submitted_directory = 'inbox'\nc.CourseDirectory.course_id = 'x'\n"
    )
    (tmp_path / "source" / "lesson01").mkdir(parents=True)
    (tmp_path / "source" / "lesson01" / "lesson01.ipynb").write_text("{}")
    (tmp_path / "inbox" / "ann" / "lesson01").mkdir(parents=True)
    course = Course.open(tmp_path)
    assert course.root == tmp_path.resolve()
    assert course.submitted("ann", "lesson01") == tmp_path.resolve() / "inbox/ann/lesson01"
    assert course.students_with_submissions("lesson01") == ["ann"]
    assert course.lessons() == ["lesson01"] and course.notebook_name("lesson01") == "lesson01"
    assert course.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    with pytest.raises(CourseError, match="no source notebook"):
        (tmp_path / "source" / "lesson02").mkdir()
        course.notebook_name("lesson02")
