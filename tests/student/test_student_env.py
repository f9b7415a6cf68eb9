"""The students' environment (student/): from a fresh venv, the tasks run; the answers are absent.

A real venv with the whole stack installed from ``student/`` (fast from pip's cache)
and a real Jupyter kernel in it, started in an empty folder as a student's home.
One venv per run: xdist workers share it through a lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from packaging.requirements import Requirement
from setuptools.discovery import PEP420PackageFinder

from calcml_tasks import variant_for

ROOT = Path(__file__).resolve().parents[2]
STUDENT = ROOT / "student"
#: What a student must not be able to import: the solutions, the judges, the grader.
FORBIDDEN = (
    "reference", "reference.lessons", "reference.grading", "reference.checks", "autograder",
)
#: Variables that would make the kernel see the grader's venv or a grader's identity.
SCRUBBED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "CALCML_STUDENT",
            "CALCML_COURSE", "JUPYTERHUB_USER")
PIP_QUIET = ("--disable-pip-version-check", "--no-input", "-q")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(extra)
    return env


def _run(*cmd: str | Path, cwd: Path | None = None) -> None:
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=_clean_env(), capture_output=True, text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}"


def _constraints(path: Path) -> Path:
    """Pin the stack to this venv's versions: pip's cache then has every wheel, and the
    students test what the grader tests. Local and editable installs are not on an index."""
    lines = []
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if not name or name.lower() in {"pip", "setuptools", "wheel"}:
            continue
        if dist.read_text("direct_url.json") is None:
            lines.append(f"{name}=={dist.version}")
    path.write_text("\n".join(sorted(set(lines))) + "\n")
    return path


def _build(root: Path) -> SimpleNamespace:
    """Copy student/ and calcml_tasks/ (symlink kept) so no build/ lands in the checkout,
    build the wheel, then ``pip install ./student`` into a fresh venv."""
    src = root / "src"
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "dist", "*.egg-info")
    shutil.copytree(STUDENT, src / "student", symlinks=True, ignore=junk)
    shutil.copytree(ROOT / "calcml_tasks", src / "calcml_tasks", ignore=junk)
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "wheel", *PIP_QUIET, "--no-deps", "-w", root / "wheels", "./student",
         cwd=src)
    _run(python, "-m", "pip", "install", *PIP_QUIET, "--no-compile",
         "-c", _constraints(root / "constraints.txt"), "./student", cwd=src)
    site = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True,
    ).strip())
    (wheel,) = (root / "wheels").glob("calcml_student-*.whl")
    return SimpleNamespace(venv=venv, python=python, site=site, wheel=wheel)


@pytest.fixture(scope="session")
def student_env(tmp_path_factory):
    """The venv, built once per run (the first xdist worker builds, the others wait)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "student-env"
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "done.json"
        if not done.exists():
            for stale in ("src", "venv", "wheels"):
                shutil.rmtree(root / stale, ignore_errors=True)
            env = _build(root)
            done.write_text(json.dumps({k: str(v) for k, v in vars(env).items()}))
        return SimpleNamespace(**{k: Path(v) for k, v in json.loads(done.read_text()).items()})


@pytest.fixture(scope="module")
def kernel(student_env, tmp_path_factory):
    """A kernel of the venv's python, in an empty folder that is also its HOME."""
    home = tmp_path_factory.mktemp("home")
    specs = tmp_path_factory.mktemp("kernels")
    (specs / "student").mkdir()
    (specs / "student" / "kernel.json").write_text(json.dumps({
        "argv": [str(student_env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "student", "language": "python",
    }))
    km = KernelManager(kernel_name="student",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))
    km.connection_file = str(specs / "connection.json")
    km.start_kernel(cwd=str(home), env=_clean_env(HOME=str(home)))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        yield SimpleNamespace(client=kc, home=home)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kernel, code: str):
    """Run ``code`` in the kernel; return what its last line printed, as JSON."""
    out, errors = [], []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append("\n".join(msg["content"]["traceback"]))

    reply = kernel.client.execute_interactive(code, output_hook=hook, timeout=300)
    assert reply["content"]["status"] == "ok", "\n".join(errors)
    return json.loads("".join(out).strip().splitlines()[-1])


def test_the_kernel_runs_a_students_task(kernel, student_env):
    got = run(kernel, """
import json, os, sys
import calcml_tasks
task = calcml_tasks.my_task("lesson01", "ada")
print(json.dumps({"exe": sys.executable, "file": calcml_tasks.__file__, "cwd": os.getcwd(),
                  "path": sys.path, "record": task.record(), "key": task.variant.key()}))
""")
    assert Path(got["exe"]).parent == student_env.python.parent
    assert Path(got["file"]).is_relative_to(student_env.site)
    assert Path(got["cwd"]) == kernel.home
    assert not any(p.startswith(str(ROOT)) for p in got["path"]), "the kernel sees the checkout"
    assert got["record"]["student"] == "ada" and got["record"]["source"] == "typed"
    assert got["key"] == variant_for("calcml", "lesson01", "ada").key()  # the grader's task


@pytest.mark.parametrize("name", FORBIDDEN)
def test_the_answers_and_judges_cannot_be_imported(kernel, name):
    got = run(kernel, f"""
import json
try:
    import {name}
    print(json.dumps(["imported", {name}.__file__]))
except ModuleNotFoundError as exc:
    print(json.dumps(["missing", exc.name]))
""")
    assert got == ["missing", name.split(".")[0]]


def _notebook_imports() -> set[str]:
    """What the released notebooks import: setup and check cells, not solutions or hidden tests."""
    names = set()
    for path in sorted((ROOT / "source").glob("lesson*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("solution"):
                continue
            src = re.sub(r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", "", cell.source,
                         flags=re.S)
            for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", src,
                                 flags=re.M):
                for module in (m[1] or m[2]).split(","):
                    names.add(module.split()[0])
    return names


def test_what_the_notebooks_import_is_there(kernel):
    wanted = sorted(_notebook_imports())
    assert {"calcml_tasks", "numpy"} <= set(wanted)
    assert not [n for n in wanted if n.split(".")[0] in {"reference", "autograder"}]
    got = run(kernel, f"""
import importlib, json
failed = {{}}
for name in {wanted!r}:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = repr(exc)
print(json.dumps(failed))
""")
    assert got == {}


def test_site_packages_holds_no_solution_or_judge(student_env):
    site = student_env.site
    top = {p.name.lower() for p in site.iterdir()}
    leaks = {n for n in top if n in {"reference", "reference.py", "autograder", "autograder.py"}
             or "calcml_grader" in n}
    assert not leaks
    assert not [p for p in site.glob("*.pth") if str(ROOT) in p.read_text()]
    # No copy of any file of reference/ or autograder/, under any name.
    secret = {}
    for package in ("reference", "autograder"):
        for path in (ROOT / package).rglob("*.py"):
            data = path.read_bytes()
            if len(data) > 200:  # not an empty __init__.py
                secret.setdefault(len(data), set()).add(hashlib.sha256(data).digest())
    copies = [
        p for p in site.rglob("*.py")
        if p.stat().st_size in secret
        and hashlib.sha256(p.read_bytes()).digest() in secret[p.stat().st_size]
    ]
    assert not copies
    record = next(site.glob("calcml_student-*.dist-info")) / "RECORD"
    installed = {line.split(",")[0].split("/")[0] for line in record.read_text().splitlines()}
    assert installed == {"calcml_tasks", record.parent.name}


def _tasks_files() -> set[str]:
    base = ROOT / "calcml_tasks"
    return {
        f"calcml_tasks/{p.relative_to(base).as_posix()}"
        for p in base.rglob("*.py") if "__pycache__" not in p.parts
    }


def test_the_wheel_holds_calcml_tasks_and_nothing_else(student_env):
    names = zipfile.ZipFile(student_env.wheel).namelist()
    dist_info = {n for n in names if n.startswith("calcml_student-") and ".dist-info/" in n}
    assert set(names) - dist_info == _tasks_files()


def test_jupyterlab_has_nbgraders_assignment_list(student_env):
    venv = student_env.venv
    assert (venv / "bin" / "jupyter-lab").exists()
    assert (venv / "share/jupyter/labextensions/@jupyter/nbgrader/package.json").exists()
    config = json.loads((venv / "etc/jupyter/jupyter_server_config.d/nbgrader.json").read_text())
    assert config["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.assignment_list"]


def test_student_ranges_are_the_roots():
    """Students run the versions the grader is tested with: same names, same ranges."""
    root = {
        (r := Requirement(line)).name: r.specifier
        for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    lines = (STUDENT / "requirements.txt").read_text().splitlines()
    student = [Requirement(s) for s in lines if s.strip() and not s.lstrip().startswith("#")]
    assert {r.name for r in student} >= {"numpy", "sympy", "jupyterlab", "nbgrader", "ipykernel"}
    assert {r.name: r.specifier for r in student if r.name in root} == {
        r.name: root[r.name] for r in student if r.name in root
    }


def test_calcml_tasks_is_one_copy_and_the_root_does_not_ship_student():
    link = STUDENT / "calcml_tasks"
    assert link.is_symlink() and link.resolve() == (ROOT / "calcml_tasks").resolve()
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = PEP420PackageFinder.find(str(ROOT), include=find["find"]["include"])
    assert not [p for p in found if p.split(".")[0] not in {"reference", "autograder",
                                                             "calcml_tasks"}]
