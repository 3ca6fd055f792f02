"""A separate worker process for the concurrency test: it creates and edits articles through
the services, so its index writes queue on the same lock as the other processes'."""

from __future__ import annotations

import sys

from deskcore import create_app
from deskcore.extensions import db
from deskcore.models import User


def main(url: str, instance: str, user_id: int, worker: int, count: int, shared: int) -> None:
    from deskcore_knowledge_base import articles

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "worker",
            "SQLALCHEMY_DATABASE_URI": url,
            "DESKCORE_INSTANCE_PATH": instance,
        }
    )
    with app.app_context():
        user = db.session.get(User, user_id)
        for i in range(count):
            articles.create_article(
                {
                    "title": f"Worker {worker} note {i}",
                    "body": f"zeta{worker}x{i}",
                    "status": "published",
                },
                user,
            )
            articles.update_article(shared, {"body": f"edited by w{worker}n{i}"}, user)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    url, instance, *numbers = sys.argv[1:]
    main(url, instance, *map(int, numbers))
