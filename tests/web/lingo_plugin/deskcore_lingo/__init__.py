"""A test plugin that ships its own Spanish translations (``translations/`` beside it)."""

from flask_babel import lazy_gettext as _l

from deskcore import hookimpl
from deskcore.contributions import MenuLink

title = "Lingo"


@hookimpl
def menu_links(user):
    return [MenuLink(str(_l("Language corner")), "/plugins/lingo/")]
