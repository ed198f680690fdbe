"""`symbiosis users create-admin|list`: accounts managed from the command line.

The first admin can only be made here (over HTTP, creating users needs an admin already).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from symbiosis.errors import SymbiosisError

users_app = typer.Typer(help="API accounts.", no_args_is_help=True)


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option("--email", help="the admin's e-mail (login name)")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from stdin (scripts); else prompt")
    ] = False,
) -> None:
    """Create an admin account."""
    from symbiosis.services import users
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.principal import Role
    from symbiosis.settings import get_settings

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    ctx = ServiceContext.create(get_settings())
    try:
        ctx.repo().ensure_schema()
        record = users.create_user_record(ctx, email, password, Role.ADMIN)
    finally:
        ctx.close()
    typer.echo(f"admin {record['email']} created (id {record['id']})")


@users_app.command("list")
def list_users() -> None:
    """Accounts, without their password hashes."""
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.users import USER, public
    from symbiosis.settings import get_settings

    ctx = ServiceContext.create(get_settings())
    try:
        records = [public(r) for r in ctx.repo().list_records(USER)]
    finally:
        ctx.close()
    if not records:
        raise SymbiosisError("no accounts yet: create one with `symbiosis users create-admin --email …`")
    for r in records:
        scope = r.get("firm_id") or ",".join(r.get("territory_ids") or []) or "-"
        typer.echo(f"{r['id']}  {r['email']}  {r['role']}  {scope}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
