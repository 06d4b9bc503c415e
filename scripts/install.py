"""Installs what pyproject.toml lists (the dependencies and the named extras)
into the running venv, and makes the checkout importable with a path file:
what `pip install -e ".[extras]"` does, without building the project.

    .venv/bin/python scripts/install.py            # runtime (make install)
    .venv/bin/python scripts/install.py test       # + the test tools (make test)
    .venv/bin/python scripts/install.py dev        # + lint and types (make install-dev)

Why not `pip install -e .`: its editable build (an isolated environment with a
setuptools of its own, then metadata and a wheel) cost about five seconds of
every fresh `make test`, for metadata nothing reads -- manage.py, pytest,
celery and gunicorn all run the code from the checkout.
Why --no-compile: pip otherwise compiles every module of every package (the
type checkers and scipy's own tests included) before the first test runs;
Python compiles what is imported on first import instead.
Why uv: with the wheels already in the machine's cache, `pip install` of the
test dependencies took 21 s of every fresh `make test`, uv 1.6 s (it resolves
in parallel and links files out of its cache; 6 s with an empty cache). uv is
itself installed into the venv by pip (2 s); where that fails (a mirror
without uv, no network to PyPI) the install falls back to pip, so nothing
but python3 is ever needed.
"""

import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirements(extras: list[str]) -> list[str]:
    """The dependencies plus those of each extra; `supportdesk[test]` inside an
    extra names other extras of this project."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    wanted = list(project["dependencies"])
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        if extra not in optional:
            sys.exit(f"pyproject.toml has no extra {extra!r} (it has {', '.join(optional)})")
        seen.add(extra)
        for requirement in optional[extra]:
            if requirement.startswith(project["name"] + "["):
                inner = requirement[len(project["name"]) + 1 : requirement.index("]")]
                todo.extend(name.strip() for name in inner.split(","))
            else:
                wanted.append(requirement)
    return wanted


PIP = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def uv() -> Path | None:
    """The venv's uv, installed by pip when it is missing; None when pip cannot get it."""
    path = Path(sysconfig.get_path("scripts")) / "uv"
    if not path.exists():
        got = subprocess.run([*PIP, "uv>=0.5"], capture_output=True, text=True)
        if got.returncode != 0:
            reason = got.stderr.strip()[-300:]
            print(f"uv not available, installing with pip: {reason}", file=sys.stderr)
            return None
    return path


def main(extras: list[str]) -> None:
    wanted = requirements(extras)
    installer = uv()
    if installer is not None:
        done = subprocess.run(
            [str(installer), "pip", "install", "--quiet", "--python", sys.executable, *wanted]
        )
        if done.returncode != 0:
            print("uv failed; installing with pip instead", file=sys.stderr)
            installer = None
    if installer is None:
        subprocess.run([*PIP, "--no-compile", *wanted], check=True)
    # The editable install's effect: the checkout on sys.path wherever Python starts.
    site_packages = Path(sysconfig.get_paths()["purelib"])
    (site_packages / "supportdesk-checkout.pth").write_text(f"{ROOT}\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
