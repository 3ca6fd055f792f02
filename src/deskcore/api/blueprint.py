"""The core API blueprint, mounted at /api/v1; its routes live in the modules beside this."""

from flask import Blueprint

bp = Blueprint("api", __name__)
