"""Who am I, which plugins are enabled, and the OpenAPI document."""

from __future__ import annotations

from ..plugins import registry
from .auth import current_user
from .blueprint import bp
from .endpoint import endpoint
from .openapi import openapi_document
from .resources import MeSchema, PluginOutSchema, items_of


@bp.get("/me")
@endpoint(response=MeSchema)
def me():
    """The user the token belongs to, with their role."""
    return current_user()


@bp.get("/plugins")
@endpoint(response=items_of(PluginOutSchema, "PluginList"))
def plugins_list():
    """The plugins enabled in this deployment."""
    reg = registry()
    return {"items": [reg.plugins[name] for name in sorted(reg.enabled_names())]}


@bp.get("/openapi.json")
@endpoint(public=True)
def openapi():
    """The OpenAPI 3 document of this API, as the enabled plugins make it now."""
    return openapi_document()
