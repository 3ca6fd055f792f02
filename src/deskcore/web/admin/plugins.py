"""Admin pages for plugins: list, enable/disable after a confirmation, settings form.

The rules are those of ``deskcore plugins``: both call ``services.plugin_admin``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import fields, validate

from ...errors import DeskcoreError
from ...plugins import plugin_settings, registry
from ...services import plugin_admin
from ..forms import field_errors
from . import bp

ACTIONS = ("enable", "disable")


@bp.get("/plugins/")
def plugins():
    reg = registry()
    return render_template(
        "desk/admin/plugins.html", plugins=reg.all_plugins(), enabled=reg.enabled_names()
    )


@bp.route("/plugins/<name>/<action>", methods=["GET", "POST"])
def toggle_plugin(name: str, action: str):
    """GET asks for confirmation; POST (with the CSRF token) switches the plugin."""
    if action not in ACTIONS or name not in registry().installed:
        abort(404)
    info = registry().get(name)
    if request.method == "GET":
        return render_template("desk/admin/plugin_confirm.html", info=info, action=action)
    try:
        if action == "enable":
            plugin_admin.enable_plugin(name)
            flash(_("Plugin %(name)s enabled.", name=name), "ok")
        else:
            done = plugin_admin.disable_plugin(name, force=request.form.get("force") == "1")
            flash(_("Disabled: %(names)s. Their data is kept.", names=", ".join(done)), "ok")
    except DeskcoreError as exc:
        return render_template(
            "desk/admin/plugin_confirm.html", info=info, action=action, error=str(exc)
        ), 409
    return redirect(url_for("admin.plugins"))


def settings_fields(schema) -> list[dict]:
    """Describe each field of a settings schema for the generated form."""
    described = []
    for name, field in schema.fields.items():
        kind, choices = "text", []
        if isinstance(field, fields.Boolean):
            kind = "checkbox"
        elif isinstance(field, fields.Integer):
            kind = "number"
        elif isinstance(field, fields.Date):
            kind = "date"
        validators = field.validators or []
        for validator in validators:
            if isinstance(validator, validate.OneOf):
                kind, choices = "select", [(str(c), str(c)) for c in validator.choices]
        described.append(
            {
                "name": name,
                "kind": kind,
                "choices": choices,
                "help": field.metadata.get("description", ""),
            }
        )
    return described


@bp.route("/plugins/<name>/settings", methods=["GET", "POST"])
def plugin_settings_page(name: str):
    reg = registry()
    if name not in reg.plugins:
        abort(404)
    schema_cls = reg.call_plugin(name, "settings_schema")
    if schema_cls is None:
        abort(404)
    schema = schema_cls()
    described = settings_fields(schema)
    errors: dict = {}
    if request.method == "POST":
        changes = {}
        for field in described:
            raw = request.form.get(field["name"])
            changes[field["name"]] = raw is not None if field["kind"] == "checkbox" else raw or ""
        try:
            plugin_admin.configure_plugin(name, changes)
        except DeskcoreError as exc:
            errors = field_errors(exc)
        else:
            flash(_("Settings of %(name)s saved.", name=name), "ok")
            return redirect(url_for("admin.plugin_settings_page", name=name))
        form = request.form
    else:
        form = {k: v for k, v in schema.dump(plugin_settings(name)).items()}
    return render_template(
        "desk/admin/plugin_settings.html",
        info=reg.get(name),
        fields=described,
        form=form,
        errors=errors,
    ), (400 if errors else 200)
