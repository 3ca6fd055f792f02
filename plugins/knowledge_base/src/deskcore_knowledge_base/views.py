"""The knowledge-base pages under ``/plugins/knowledge_base/``: topics, search, articles,
the editor, and linking or sending an article on a ticket.

Every agent reads and searches; editors (supervisors, admins, or agents when the plugin's
setting allows) write. Forms post with the CSRF token of the core layout.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from deskcore.errors import DeskcoreError
from deskcore.extensions import db
from deskcore.models import Role
from deskcore.web.access import require_role
from deskcore.web.forms import field_errors, integer, pick

from . import articles, labels, usage
from .models import AUDIENCES, STATUSES
from .rendering import to_html
from .search import search_articles

bp = Blueprint("knowledge_base", __name__, template_folder="templates")
require_role(bp, Role.AGENT)
ARTICLE_TEXT_FIELDS = ("title", "keywords", "body", "audience", "status")
PER_PAGE = 10


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every knowledge-base page needs a logged-in user."""


@bp.context_processor
def _helpers() -> dict:
    return {"kblabels": labels}


@bp.get("/")
def index():
    topic_id = integer(request.args.get("topic"))
    topic = articles.get_topic(topic_id) if isinstance(topic_id, int) else None
    may_edit = articles.may_edit(current_user)
    return render_template(
        "knowledge_base/index.html",
        tree=articles.topic_tree(),
        topic=topic,
        listed=articles.articles_of_topic(topic.id if topic else None, published_only=not may_edit),
        may_edit=may_edit,
    )


@bp.get("/search")
def search():
    text = request.args.get("q", "")
    topic_id = integer(request.args.get("topic"))
    page = integer(request.args.get("page"))
    audience = request.args.get("audience") or None
    results = search_articles(
        text,
        page=page if isinstance(page, int) else 1,
        per_page=PER_PAGE,
        topic_id=topic_id if isinstance(topic_id, int) else None,
        audience=audience if audience in AUDIENCES else None,
        include_drafts=articles.may_edit(current_user),
        user=current_user,
        source="desk",
    )
    return render_template(
        "knowledge_base/search.html",
        q=text,
        results=results,
        tree=articles.topic_tree(),
        args=request.args,
    )


@bp.get("/articles/<id:number>")
def article(number: int):
    found = articles.get_article(number)
    may_edit = articles.may_edit(current_user)
    if found.status != "published" and not may_edit:
        abort(404)
    return render_template(
        "knowledge_base/article.html",
        article=found,
        html=to_html(found.body),
        errors={},
        may_edit=may_edit,
    )


def _editor_only() -> None:
    if not articles.may_edit(current_user):
        abort(403)


def _form_page(form: dict, article=None, errors: dict | None = None, status: int = 200):
    return render_template(
        "knowledge_base/article_form.html",
        form=form,
        article=article,
        errors=errors or {},
        tree=articles.topic_tree(),
        audiences=AUDIENCES,
        statuses=STATUSES,
    ), status


def _submitted() -> dict:
    data = pick(request.form, ARTICLE_TEXT_FIELDS) | pick(request.form, ("topic_id",), integer)
    return {k: ("" if v is None and k in ("keywords", "body") else v) for k, v in data.items()}


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article():
    _editor_only()
    if request.method == "GET":
        return _form_page({"audience": "internal", "status": "draft"})
    try:
        created = articles.create_article(_submitted(), current_user)
    except DeskcoreError as exc:
        db.session.rollback()
        return _form_page(request.form.to_dict(), None, field_errors(exc), 400)
    flash(_("Article %(label)s saved.", label=created.label), "ok")
    return redirect(url_for("knowledge_base.article", number=created.number))


@bp.route("/articles/<id:number>/edit", methods=["GET", "POST"])
def edit_article(number: int):
    _editor_only()
    found = articles.get_article(number)
    if request.method == "GET":
        form = {k: getattr(found, k) for k in (*ARTICLE_TEXT_FIELDS, "topic_id")}
        return _form_page(form, found)
    try:
        articles.update_article(number, _submitted(), current_user)
    except DeskcoreError as exc:
        db.session.rollback()
        return _form_page(request.form.to_dict(), found, field_errors(exc), 400)
    flash(_("Article %(label)s saved.", label=found.label), "ok")
    return redirect(url_for("knowledge_base.article", number=number))


@bp.post("/topics")
def add_topic():
    _editor_only()
    data = pick(request.form, ("name",)) | pick(request.form, ("parent_id",), integer)
    try:
        articles.create_topic(data, current_user)
    except DeskcoreError as exc:
        db.session.rollback()
        _flash_errors(exc)
    return redirect(url_for("knowledge_base.index"))


@bp.post("/articles/<id:number>/use")
def use(number: int):
    """Link the article to a ticket, or send it to the ticket's customer."""
    ticket_number = integer(request.form.get("ticket"))
    send = request.form.get("action") == "send"
    if not isinstance(ticket_number, int):
        flash(_("Type the ticket number."), "danger")
        return redirect(url_for("knowledge_base.article", number=number))
    try:
        if send:
            usage.send_article(number, ticket_number, current_user)
        else:
            usage.link_article(number, ticket_number, current_user)
    except DeskcoreError as exc:
        db.session.rollback()
        _flash_errors(exc)
        return redirect(url_for("knowledge_base.article", number=number))
    flash(_("Article sent to the customer.") if send else _("Article linked."), "ok")
    return redirect(url_for("tickets.show", number=ticket_number))


def _flash_errors(exc: DeskcoreError) -> None:
    """A service's refusal as sentences in the agent's language, shown on the next page."""
    for messages in field_errors(exc).values():
        for message in messages:
            flash(message, "danger")
