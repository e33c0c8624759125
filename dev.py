#!/usr/bin/env python3
"""The README's two commands, on a machine that has only Python 3.11.

    python3 dev.py demo    # virtualenv, dependencies, migrate, fixtures, seeds, accounts, serve
    python3 dev.py test    # virtualenv, dependencies, the whole test suite

Both create `.venv/` on first use and reinstall only when pyproject.toml or constraints.txt
change. Extra arguments go to `manage.py demo` or to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".newsroom-installed"
INPUTS = [ROOT / "pyproject.toml", ROOT / "constraints.txt"]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in INPUTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Newsroom needs Python 3.11; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == fingerprint():
        return
    print("Installing dependencies into .venv ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run(
        [*pip, "install", "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[dev]"], check=True
    )
    STAMP.write_text(fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "demo":
        args = [str(PYTHON), "manage.py", "demo", *rest]
    else:
        args = [str(PYTHON), "-m", "pytest", *rest]
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
