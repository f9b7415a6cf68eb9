"""The seed that picks a student's variant: course, lesson and student, nothing else.

It is a hash, so it is the same on every machine and in every process (the
student's kernel, the grader, ``nbgrader autograde``), and knowing one seed
tells nothing of another.

>>> variant_seed("calcml", "lesson01", "alice") == variant_seed("calcml", "lesson01", "alice")
True
>>> variant_seed("calcml", "lesson01", "alice") != variant_seed("calcml", "lesson01", "bob")
True
"""

from __future__ import annotations

import hashlib


def variant_seed(course_id: str, lesson: str, student_id: str) -> int:
    """A 64-bit seed for ``student_id``'s variant of ``lesson`` in ``course_id``."""
    parts = [str(course_id), str(lesson), str(student_id).strip()]
    if not all(parts):
        raise ValueError(f"a variant needs a course, a lesson and a student id, got {parts}")
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")
