"""`make serve`'s env file: fresh secrets for its owner only; refused if others can read it."""

import importlib.util
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_first_run_writes_fresh_secrets_readable_by_the_owner_only(serve, tmp_path):
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    serve.fresh_env_file(first, 8100)
    serve.fresh_env_file(second, 8100)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    a, b = serve.read_env_file(first), serve.read_env_file(second)
    assert a["DJANGO_SETTINGS_MODULE"] == "chengxin.settings.production"
    assert len(a["SECRET_KEY"]) >= 50 and len(a["PLACARD_SECRET"]) >= 32
    assert a["SECRET_KEY"] != b["SECRET_KEY"]
    assert a["PLACARD_SECRET"] != b["PLACARD_SECRET"]
    assert a["PUBLIC_BASE_URL"] == "http://127.0.0.1:8100"


def test_an_existing_file_is_never_overwritten(serve, tmp_path):
    path = tmp_path / "serve.env"
    serve.fresh_env_file(path, 8000)
    with pytest.raises(FileExistsError):
        serve.fresh_env_file(path, 8000)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_file_others_may_read_is_refused(serve, tmp_path, mode):
    path = tmp_path / "serve.env"
    serve.fresh_env_file(path, 8000)
    path.chmod(mode)
    with pytest.raises(SystemExit, match="chmod 600"):
        serve.read_env_file(path)


def test_a_malformed_line_is_refused(serve, tmp_path):
    path = tmp_path / "serve.env"
    path.write_text("SECRET_KEY\n")
    path.chmod(0o600)
    with pytest.raises(SystemExit, match="expected KEY=VALUE"):
        serve.read_env_file(path)


def test_the_env_file_is_never_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "serve.env" in ignored
