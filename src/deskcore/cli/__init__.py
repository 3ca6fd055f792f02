"""The ``deskcore`` command line: a FlaskGroup, so plugins' ``app.cli`` commands appear too."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from ..app import create_app
from .db import db_group
from .demo import demo_command
from .errors import readable_errors
from .init import init_command
from .plugins import plugins_group
from .reports import reports_group
from .serve import serve_command
from .skeleton import plugin_group
from .tokens import tokens_group
from .users import users_group


class DeskcoreGroup(FlaskGroup):
    """Every command below it, core's and plugins', reports expected errors in one line."""

    def invoke(self, ctx: click.Context):
        with readable_errors():
            return super().invoke(ctx)


main = DeskcoreGroup(create_app=create_app, help="Deskcore helpdesk administration.")
for command in (
    init_command,
    serve_command,
    demo_command,
    users_group,
    tokens_group,
    plugins_group,
    plugin_group,
    db_group,
    reports_group,
):
    main.add_command(command)

__all__ = ["main"]
