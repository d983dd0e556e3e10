"""``sohoa keys`` from the shell: a key is created and shown once, listed, and revoked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.access import Role
from models.errors import AuthenticationError
from storage import keys
from storage.database import make_engine, make_session_factory, transaction


def sohoa_keys(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOHOA_DATA_DIR": str(data_dir)}
    env = {name: value for name, value in env.items() if name != "SOHOA_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "api", "keys", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_keys_are_created_listed_and_revoked_from_the_shell(tmp_path: Path) -> None:
    created = sohoa_keys(tmp_path, "create", "Bàn một cửa số 3", "--role", "scanner",
                         "--agency", "PVHCC")  # fmt: skip
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    _, key_id, secret = token.split("_", 2)
    assert "shown this once" in created.stderr

    engine = make_engine(f"sqlite:///{tmp_path / 'sohoa.db'}")
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        key = keys.authenticate(session, token)
        assert (key.role_set, key.agency_set) == ({Role.SCANNER}, {"PVHCC"})
        assert secret not in key.secret_hash

    listed = sohoa_keys(tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert key_id in listed.stdout and token not in listed.stdout + listed.stderr

    assert sohoa_keys(tmp_path, "revoke", key_id).returncode == 0
    with transaction(sessions) as session, pytest.raises(AuthenticationError, match="revoked"):
        keys.authenticate(session, token)
    unknown = sohoa_keys(tmp_path, "revoke", "000000000000")
    assert unknown.returncode == 1 and "no API key" in unknown.stderr
    no_role = sohoa_keys(tmp_path, "create", "x")
    assert no_role.returncode != 0
    engine.dispose()
