"""Headless Chromium (Debian's package) driven by Playwright, for end-to-end tests.

Playwright's own browser download is not used: ``executable_path`` points at
the system Chromium that ``scripts/install_system_packages.sh`` installs.
"""

import os
import shutil
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 360, "height": 640}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Chromium is needed for the browser tests: run scripts/install_system_packages.sh"
        )
    return path


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
