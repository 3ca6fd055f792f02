"""The database is the source of truth: the index follows every commit, several processes
write at once without losing an update, and ``deskcore kb`` rebuilds, imports and exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deskcore_knowledge_base import articles
from deskcore_knowledge_base.index import INDEX_NAME, article_index
from deskcore_knowledge_base.search import search_articles

from deskcore.cli import main
from deskcore.extensions import db

pytestmark = pytest.mark.plugins("knowledge_base")
WORKERS = 4
ARTICLES_PER_WORKER = 5


@pytest.fixture
def kb(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(main, ["kb", *args])


def test_worker_processes_writing_at_once_lose_no_update(app, make_article, supervisor):
    shared = make_article("Compartido", "original")
    db.session.commit()
    worker = Path(__file__).with_name("kb_worker.py")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(worker),
                url,
                app.instance_path,
                str(supervisor.id),
                str(w),
                str(ARTICLES_PER_WORKER),
                str(shared.number),
            ],
            env=env,
        )
        for w in range(WORKERS)
    ]
    assert [p.wait(timeout=240) for p in processes] == [0] * WORKERS

    assert article_index().count() == 1 + WORKERS * ARTICLES_PER_WORKER
    for w in range(WORKERS):
        for i in range(ARTICLES_PER_WORKER):
            assert search_articles(f"zeta{w}x{i}").total == 1, (w, i)
    db.session.commit()  # a fresh snapshot: the workers' edits
    final = articles.get_article(shared.number).body
    assert final.startswith("edited by w")
    assert [h.number for h in search_articles(final.split()[-1]).hits] == [shared.number]
    assert shared.number not in [h.number for h in search_articles("original").hits]


def test_reindex_rebuilds_the_index_from_the_database(app, kb, make_article):
    made = [make_article("Garantía extendida"), make_article("Printer jams")]
    index_link = Path(app.instance_path) / INDEX_NAME
    old_generation = os.readlink(index_link)
    result = kb("reindex")
    assert result.exit_code == 0, result.output
    assert "Indexed 2 articles." in result.output
    assert os.readlink(index_link) != old_generation
    assert not (index_link.parent / old_generation).exists()
    assert search_articles("garantia").hits[0].number == made[0].number


def test_reindex_repairs_an_index_that_lost_articles(app, kb, make_article):
    make_article("Garantía extendida")
    article_index().write([], deleted=[1])
    assert search_articles("garantia").total == 0
    assert kb("reindex").exit_code == 0
    assert search_articles("garantia").total == 1


def test_import_and_export_round_trip_markdown_with_front_matter(app, kb, tmp_path, supervisor):
    source = tmp_path / "in"
    source.mkdir()
    (source / "garantia.md").write_text(
        "---\ntitle: Cómo pedir la garantía\nkeywords: [garantía, boleta]\n"
        "topic: Refrigeradores/Garantías\naudience: customer\nstatus: published\n---\n"
        "Presente la **boleta**.\n",
        encoding="utf-8",
    )
    (source / "printer.md").write_text(
        "---\ntitle: Printer jams\n---\nOpen the rear tray.\n", encoding="utf-8"
    )
    result = kb("import", str(source), "--author", supervisor.email)
    assert result.exit_code == 0, result.output
    assert "Imported 2 new and 0 updated" in result.output
    article = articles.get_article(1)
    assert (article.title, article.keywords, article.audience) == (
        "Cómo pedir la garantía",
        "garantía, boleta",
        "customer",
    )
    assert article.topic.name == "Garantías" and article.topic.parent.name == "Refrigeradores"
    assert search_articles("boleta").hits[0].number == 1

    target = tmp_path / "out"
    assert kb("export", str(target)).exit_code == 0
    exported = (target / "kb-00001.md").read_text(encoding="utf-8")
    assert "number: 1" in exported and "topic: Refrigeradores/Garantías" in exported
    assert exported.endswith("Presente la **boleta**.\n")

    edited = exported.replace("Presente la", "Muestre la")
    (target / "kb-00001.md").write_text(edited, encoding="utf-8")
    result = kb("import", str(target), "--author", supervisor.email)
    assert "Imported 0 new and 2 updated" in result.output
    db.session.expire_all()
    assert articles.get_article(1).body.startswith("Muestre la")
    assert articles.get_article(1).versions[0].body.startswith("Presente la")


def test_import_names_the_file_without_front_matter(kb, tmp_path, supervisor):
    (tmp_path / "bad.md").write_text("just text", encoding="utf-8")
    result = kb("import", str(tmp_path), "--author", supervisor.email)
    assert result.exit_code != 0 and "bad.md: no front matter" in result.output


def test_import_names_the_file_whose_topic_path_is_empty(kb, tmp_path, supervisor):
    (tmp_path / "slash.md").write_text("---\ntitle: T\ntopic: /\n---\nText", encoding="utf-8")
    result = kb("import", str(tmp_path), "--author", supervisor.email)
    # The service's message stays English on the command line.
    assert result.exit_code != 0
    assert "slash.md: topic: empty topic path" in result.output
