"""Creates the project's virtual environment, even on a Debian/Ubuntu python3
without the python3-venv package (no ensurepip): then the venv is made
without pip and pip is bootstrapped from PyPI's own wheel."""

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- runs on the system python3, before the venv
        sys.exit(f"supportdesk needs Python >= 3.11; this is {sys.version.split()[0]}")
    path = Path(target)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
        return
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"venv with pip failed ({exc}); bootstrapping pip from PyPI", file=sys.stderr)
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["packagetype"] == "bdist_wheel")
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], wheel_path)
        python = path / "bin" / "python"
        subprocess.run(
            [str(python), f"{wheel_path}/pip", "install", "--quiet", str(wheel_path)], check=True
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
