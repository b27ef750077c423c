"""Audit the pinned dependencies (requirements-dev.lock, runtime set included) with pip-audit.

pip-audit asks PyPI's per-release JSON (``/pypi/NAME/VERSION/json``) for known
vulnerabilities. Where that service cannot be reached (a mirror without the
per-release documents, no route out) pip-audit would report every package as
"not found" and prove nothing, so this script first asks the service about one
pinned package. Reachable: a vulnerability fails the run. Unreachable: it says
so loudly and exits 0, or 1 when ``AUDIT_REQUIRED=true`` (set it where the
service is reachable, e.g. release builds).
"""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-dev.lock"
SERVICE = "https://pypi.org/pypi/{name}/{version}/json"


def probe():
    """None when the vulnerability service answers for the pinned Django, else why not."""
    pinned = re.search(r"^django==([^\s\\]+)", LOCK.read_text(encoding="utf-8"), re.M | re.I)
    url = SERVICE.format(name="django", version=pinned.group(1))
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            if b'"vulnerabilities"' not in response.read():
                return f"{url} answered without vulnerability data"
    except (urllib.error.URLError, TimeoutError) as error:
        return f"{url}: {error}"
    return None


def main():
    problem = probe()
    if problem:
        print(
            "DEPENDENCY AUDIT NOT RUN: pip-audit's vulnerability service cannot be reached "
            f"from here ({problem}).",
            file=sys.stderr,
        )
        return 1 if os.environ.get("AUDIT_REQUIRED", "").lower() == "true" else 0
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "--strict",
        "--disable-pip",
        "--no-deps",
        "--progress-spinner",
        "off",
        "-r",
        str(LOCK),
    ]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
