"""``sohoa keys``: issue, list and revoke API keys from the server's own shell.

The first administrator's key can only come from here; later keys may also be issued through
``POST /v1/keys`` by an administrator.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from ingest.worker import prepare_database
from models.access import Role
from models.config import get_settings
from models.errors import SohoaError
from storage import keys
from storage.database import make_engine, make_session_factory, transaction

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
console = Console(stderr=True)


@contextmanager
def key_session() -> Iterator[Session]:
    settings = get_settings()
    prepare_database(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    except SohoaError as e:
        console.print(f"[red]{e.message}[/]")
        raise typer.Exit(code=1) from e
    finally:
        engine.dispose()


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="whose key it is: a desk, a system, a person")],
    role: Annotated[list[Role], typer.Option(help="repeat for several roles")],
    agency: Annotated[
        list[str] | None, typer.Option(help="scope the key to this agency; repeat for several")
    ] = None,
) -> None:
    """Issue a key; its token is printed once, on the last line of the output."""
    with key_session() as session:
        issued = keys.issue_key(session, name=name, roles=role, agencies=agency)
        key_id, roles, scope = issued.key.id, issued.key.roles, issued.key.agencies
    console.print(f"key {key_id} ({name}): roles {roles}; agencies {scope or 'all'}")
    console.print("the token below is shown this once; keep it where its user keeps secrets:")
    typer.echo(issued.token)


@app.command("list")
def list_keys() -> None:
    """Every key with its roles, scope and use; tokens are never shown again."""
    table = Table(title="API keys")
    for column in ("id", "name", "roles", "agencies", "created", "last used", "revoked"):
        table.add_column(column)
    with key_session() as session:
        for key in keys.list_keys(session):
            table.add_row(
                key.id,
                key.name,
                key.roles,
                ", ".join(sorted(key.agency_set)) if key.agency_set is not None else "all",
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "-",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "-",
            )
    Console(width=None if sys.stdout.isatty() else 200).print(table)  # piped: do not wrap ids


@app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="the id `sohoa keys list` shows")]) -> None:
    """Revoke a key: its next request is refused."""
    with key_session() as session:
        key = keys.revoke_key(session, key_id)
        console.print(f"key {key.id} ({key.name}) revoked at {key.revoked_at:%Y-%m-%d %H:%M:%S}")
