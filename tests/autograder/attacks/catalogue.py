"""Attacks on hardened grading, by the class of weakness each one probes (issue #10).

Each attack is an extra code cell added to a lesson's base submission (the
solution with a typical mistake, so that there are points to gain), or a
change to the submitted files themselves. ``LESSON`` in the code stands for
the lesson's name. None may gain a point, write outside its scratch folder,
or harm the honest student graded right after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Attack:
    name: str
    #: The weakness probed (the numbered root causes of issue #10).
    kind: str
    code: str = ""
    #: "start" (after the setup cell) or "end".
    where: str = "start"
    #: Lessons it applies to (all when empty).
    lessons: tuple[str, ...] = ()
    #: Changes the submission folder after the notebook is written: (folder, lesson, course).
    prepare: Callable[[Path, str, Path], None] | None = None
    #: Flags the result must carry.
    flags: tuple[str, ...] = ()
    #: Replaces a solution cell: grade_id -> source.
    replace: dict[str, str] = field(default_factory=dict)


#: Writes its text into every pipe the notebook's process holds.
PIPES = """
import os
def to_pipes(data):
    for fd in range(3, 64):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                os.write(fd, data)
        except OSError:
            pass
"""

MALFORMED_OUTPUTS = PIPES + """
import json
bad = [{"output_type": "stream", "text": "no name"},
       {"output_type": "error", "ename": "E", "evalue": "no traceback"},
       {"output_type": "execute_result", "execution_count": 1, "data": {"text/plain": "9"},
        "metadata": ["a", "list"]},
       {"output_type": "display_data", "data": "not a dict", "metadata": {}}]
for i in range(60):
    line = json.dumps({"cell": i, "data": {"outputs": bad, "execution_count": "x"}})
    to_pipes((line + "\\n").encode())
"""


def _link_notebook_to_source(folder: Path, lesson: str, course: Path) -> None:
    path = folder / f"{lesson}.ipynb"
    path.unlink()
    path.symlink_to(course / "source" / lesson / f"{lesson}.ipynb")


def _link_folder_to_source(folder: Path, lesson: str, course: Path) -> None:
    for item in folder.iterdir():
        item.unlink()
    folder.rmdir()
    folder.symlink_to(course / "source" / lesson, target_is_directory=True)


def _fifo_and_links(folder: Path, lesson: str, course: Path) -> None:
    os.mkfifo(folder / "pipe")
    (folder / "gradebook.db").symlink_to(course / "gradebook.db")
    (folder / "data").mkdir()
    (folder / "data" / "answers.ipynb").symlink_to(course / "source" / lesson / f"{lesson}.ipynb")


def _numeric_source(folder: Path, lesson: str, course: Path) -> None:
    import json

    path = folder / f"{lesson}.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "code", "source": 5, "metadata": {}, "outputs": [],
                        "execution_count": None})
    path.write_text(json.dumps(nb))


ATTACKS: tuple[Attack, ...] = (
    # 1. Only the grader decides the inputs.
    Attack(
        "inputs-mutated-in-place",
        "inputs",
        """
        import importlib, numpy as np
        m = importlib.import_module("reference.answers.LESSON")
        for v in list(vars(m).values()):
            if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                v[...] = 0.0
        """,
    ),
    Attack(
        "inputs-sampler-replaced",
        "inputs",
        """
        import importlib, numpy as np
        m = importlib.import_module("reference.answers.LESSON")
        if hasattr(m, "sample_function"):
            real = m.sample_function
            m.sample_function = lambda fn, pts, **k: real(fn, np.array([0.0, 4 / 3]), **k)
        """,
    ),
    Attack(
        "inputs-zero-where-sampled",
        "inputs",
        """
        import reference.answers.lesson01 as a, numpy as np
        a.POINTS = np.array([0.0, 4 / 3])
        """,
        lessons=("lesson01",),
        replace={"sol_rule": "def df_rule(x):\n    return 0 * x"},
        flags=("tampered",),
    ),
    Attack(
        "inputs-far-away",
        "inputs",
        """
        import reference.answers.lesson05 as a, numpy as np
        a.POINTS = np.array([1000.0, 2000.0])
        """,
        lessons=("lesson05",),
        flags=("tampered",),
    ),
    # 2. Links in submitted/.
    Attack("notebook-links-to-source", "links", prepare=_link_notebook_to_source),
    Attack("folder-links-to-source", "links", prepare=_link_folder_to_source),
    Attack("fifo-and-links-in-folder", "links", prepare=_fifo_and_links),
    # 3. Links planted in the scratch folder for the grader to write through.
    Attack(
        "plant-links-in-scratch",
        "scratch-links",
        """
        import os
        for name in ("LESSON.ipynb", "autograder.json", "timestamp.txt"):
            try:
                os.remove(name)
            except OSError:
                pass
            os.symlink("../../../PWNED-" + name, name)
        """,
        where="end",
    ),
    # 4. Messages that used to crash the batch.
    Attack(
        "deeply-nested-display",
        "messages",
        """
        nested = {}
        for _ in range(100000):
            nested = {"x": nested}
        display({"text/plain": "hi"}, raw=True, metadata=nested)
        """,
    ),
    Attack("deeply-nested-line", "messages", PIPES + 'to_pipes(b"[" * 200000 + b"\\n")'),
    Attack(
        "forged-done-wrong-types",
        "messages",
        PIPES + "to_pipes(b'{\"done\": \"yes\", \"tampering\": 5, \"error\": 7}\\n"
        "{\"done\": true, \"tampering\": {\"a\": 1}, \"sandbox\": 3}\\n')",
        where="end",
    ),
    Attack("malformed-outputs-for-later-cells", "messages", MALFORMED_OUTPUTS),
    Attack("numeric-cell-source", "messages", prepare=_numeric_source),
    # 5. Poisoning the zygote for the students after.
    Attack(
        "lower-zygote-limits",
        "zygote",
        """
        import os, resource
        for kind, value in ((resource.RLIMIT_AS, 200 * 2**20), (resource.RLIMIT_NOFILE, 3),
                            (resource.RLIMIT_CPU, 1), (resource.RLIMIT_FSIZE, 0)):
            try:
                resource.prlimit(os.getppid(), kind, (value, value))
                print("LIMITED", kind)
            except OSError as e:
                print("denied", e.errno)
        """,
    ),
    Attack(
        "zygote-priority-and-affinity",
        "zygote",
        """
        import os
        for call in (lambda: os.setpriority(os.PRIO_PROCESS, os.getppid(), 19),
                     lambda: os.setpriority(os.PRIO_USER, 0, 19),
                     lambda: os.sched_setaffinity(os.getppid(), {0}),
                     lambda: os.setpgid(os.getppid(), os.getpid())):
            try:
                call()
            except OSError as e:
                print("denied", e.errno)
        """,
    ),
    Attack(
        "kill-the-zygote",
        "zygote",
        """
        import os, signal
        for target in (os.getppid(), 0, -1):
            try:
                os.kill(target, signal.SIGKILL if target else signal.SIGTERM)
            except OSError as e:
                print("denied", e.errno)
        """,
        where="end",
    ),
    # 6. seccomp on foreign ABIs and raw calls.
    Attack(
        "raw-i386-fork",
        "seccomp",
        """
        import ctypes, mmap, os, platform
        if platform.machine() == "x86_64":
            page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            page.write(b"\\xb8\\x02\\x00\\x00\\x00\\xcd\\x80\\xc3")
            address = ctypes.addressof(ctypes.c_char.from_buffer(page))
            if ctypes.CFUNCTYPE(ctypes.c_long)(address)() == 0:
                os._exit(0)
        """,
        where="end",
    ),
    Attack(
        "raw-x32-and-clone",
        "seccomp",
        """
        import ctypes, mmap, os, platform, struct
        if platform.machine() == "x86_64":
            def syscall(nr, arg0=0):
                page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
                page.write(b"\\x48\\xc7\\xc0" + struct.pack("<i", nr) + b"\\x48\\xc7\\xc7"
                           + struct.pack("<i", arg0) + b"\\x31\\xf6\\x0f\\x05\\xc3")
                address = ctypes.addressof(ctypes.c_char.from_buffer(page))
                return ctypes.CFUNCTYPE(ctypes.c_long)(address)()
            for nr, arg in ((56, 17), (57, 0), (58, 0), (435, 0)):
                if syscall(nr, arg) == 0:
                    os._exit(0)
            syscall(57 | 0x40000000)
        """,
        where="end",
    ),
    # 7. Root inside the child.
    Attack(
        "administrator-calls",
        "privileges",
        """
        import ctypes, os, socket
        libc = ctypes.CDLL(None)
        for call in (lambda: socket.sethostname("pwned"),
                     lambda: os.setuid(0),
                     lambda: os.chroot("."),
                     lambda: libc.unshare(0x10020000) == 0 or 1 / 0,
                     lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0 or 1 / 0):
            try:
                call()
                print("ALLOWED")
            except Exception as e:
                print("denied", type(e).__name__)
        """,
    ),
    # 8. The disk budget.
    Attack(
        "fill-the-disk",
        "disk",
        """
        block = b"x" * (16 * 2**20)
        try:
            for i in range(48):
                with open(f"fill{i}.bin", "wb") as f:
                    f.write(block)
        except OSError as e:
            print("stopped", e.errno)
        """,
    ),
)


def for_lesson(lesson: str) -> list[Attack]:
    return [a for a in ATTACKS if not a.lessons or lesson in a.lessons]
