"""Files sohoa writes are its user's and group's alone: nobody else reads citizens' papers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_what_sohoa_writes_is_its_users_and_groups_alone(tmp_path: Path) -> None:
    """In a process of its own, since the umask is the whole process's."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from ingest.worker import PRIVATE_UMASK
        from storage.local import LocalStore
        os.umask(PRIVATE_UMASK)
        store = LocalStore(Path({str(tmp_path / "objects")!r}))
        store.put_bytes("originals/x", b"a citizen's card")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
    written = next((tmp_path / "objects").rglob("x"))
    assert written.stat().st_mode & 0o007 == 0
    assert written.parent.stat().st_mode & 0o007 == 0
