"""Every search mode, with Spanish and English articles: title, keyword, full text, number,
stemming, accent folding, highlights, topic and audience filters, corrections and paging."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base import articles
from deskcore_knowledge_base.models import KbSearchLog
from deskcore_knowledge_base.search import search_articles
from sqlalchemy import select

from deskcore.extensions import db

pytestmark = pytest.mark.plugins("knowledge_base")


@pytest.fixture
def library(make_topic, make_article):
    """A small bilingual knowledge base."""
    fridges = make_topic("Refrigeradores")
    noisy = make_topic("Ruidos", parent=fridges)
    printers = make_topic("Printers")
    return {
        "garantia": make_article(
            "Cómo solicitar la garantía",
            "Para **solicitar** la garantía del refrigerador presente la boleta de compra.",
            keywords="garantía, boleta",
            topic_id=fridges.id,
            audience="customer",
        ),
        "ruido": make_article(
            "El refrigerador hace ruidos",
            "Los ruidos del compresor son normales durante los primeros días.",
            keywords="compresor",
            topic_id=noisy.id,
        ),
        "paper": make_article(
            "Printer paper jams",
            "When the printer jams, open the rear tray and remove the jammed paper.",
            keywords="tray, jam",
            topic_id=printers.id,
            audience="customer",
        ),
        "toner": make_article(
            "Replacing toner cartridges",
            "Printers report low toner; replace the cartridge before printing again.",
            keywords="cartridge",
            topic_id=printers.id,
        ),
        "topics": (fridges, noisy, printers),
    }


def numbers(results) -> list[int]:
    return [hit.number for hit in results.hits]


def test_title_words_find_the_article(library):
    assert numbers(search_articles("solicitar garantía"))[0] == library["garantia"].number
    assert numbers(search_articles("replacing toner"))[0] == library["toner"].number


def test_keywords_find_the_article(library):
    assert numbers(search_articles("boleta")) == [library["garantia"].number]
    assert numbers(search_articles("cartridge"))[0] == library["toner"].number


def test_full_text_finds_words_of_the_body(library):
    assert numbers(search_articles("compresor")) == [library["ruido"].number]
    assert numbers(search_articles("rear tray")) == [library["paper"].number]


def test_the_article_number_finds_the_article(library):
    number = library["paper"].number
    for typed in (str(number), f"KB-{number}", f"#{number}"):
        assert numbers(search_articles(typed))[0] == number


def test_stemming_matches_other_forms_of_a_word_in_both_languages(library):
    assert numbers(search_articles("solicitudes solicitando")) == [library["garantia"].number]
    assert numbers(search_articles("ruido"))[0] == library["ruido"].number
    assert library["paper"].number in numbers(search_articles("jamming"))
    assert library["toner"].number in numbers(search_articles("printing replaced"))


def test_accents_are_folded_both_ways(library):
    assert numbers(search_articles("garantia"))[0] == library["garantia"].number
    assert numbers(search_articles("COMPRÉSOR")) == [library["ruido"].number]
    assert numbers(search_articles("días compresor")) == [library["ruido"].number]


def test_results_show_highlighted_fragments(library):
    hit = search_articles("compresor").hits[0]
    assert "<mark" in hit.highlights and "compresor" in hit.highlights
    hit = search_articles("jams").hits[0]
    assert "<mark" in hit.highlights


def test_a_topic_filter_includes_its_subtopics(library):
    fridges, noisy, printers = library["topics"]
    assert set(numbers(search_articles("refrigerador", topic_id=fridges.id))) == {
        library["garantia"].number,
        library["ruido"].number,
    }
    assert numbers(search_articles("refrigerador", topic_id=noisy.id)) == [library["ruido"].number]
    assert numbers(search_articles("refrigerador", topic_id=printers.id)) == []


def test_the_audience_filter_keeps_customer_facing_articles(library):
    assert numbers(search_articles("printer", audience="customer")) == [library["paper"].number]
    assert numbers(search_articles("refrigerador", audience="customer")) == [
        library["garantia"].number
    ]


def test_misspelt_queries_suggest_a_correction(library):
    spanish = search_articles("compressor")
    assert spanish.total == 0 and spanish.suggestion == "compresor"
    english = search_articles("cartrige")
    assert english.total == 0 and english.suggestion == "cartridge"
    assert search_articles("compresor").suggestion is None


def test_results_come_in_pages(make_article):
    for i in range(7):
        make_article(f"Printer tip {i}", "Printer maintenance advice.")
    first = search_articles("printer", per_page=3)
    last = search_articles("printer", per_page=3, page=3)
    assert (first.total, first.pages, len(first.hits), len(last.hits)) == (7, 3, 3, 1)
    seen = numbers(first) + numbers(search_articles("printer", per_page=3, page=2)) + numbers(last)
    assert sorted(seen) == list(range(1, 8))


def test_drafts_are_found_only_when_asked(make_article):
    draft = make_article("Borrador de garantía", status="draft")
    assert numbers(search_articles("borrador")) == []
    assert numbers(search_articles("borrador", include_drafts=True)) == [draft.number]


def test_an_edit_is_searchable_at_once(library, supervisor):
    articles.update_article(library["ruido"].number, {"body": "Vibración del motor."}, supervisor)
    assert numbers(search_articles("normales")) == []
    assert numbers(search_articles("vibracion")) == [library["ruido"].number]


def test_wildcards_are_plain_words_and_never_expand(library):
    assert search_articles("garan*").total == 0


def test_searches_run_on_purpose_are_logged_with_their_hits(library, agent):
    search_articles("garantia", user=agent, source="desk")
    search_articles("lavadora", user=agent, source="api")
    search_articles("lavadora")
    logged = db.session.execute(select(KbSearchLog.query, KbSearchLog.hits)).all()
    assert sorted(logged) == [("garantia", 1), ("lavadora", 0)]


def test_quoted_phrases_and_and_still_work(library):
    assert numbers(search_articles('"rear tray"')) == [library["paper"].number]
    assert numbers(search_articles('"tray rear"')) == []
    assert numbers(search_articles("printer AND toner")) == [library["toner"].number]


def test_articles_with_more_of_the_words_rank_first(make_article):
    one = make_article("Motor", "El motor vibra.")
    both = make_article("Motor y correa", "Cambiar la correa del motor.")
    assert numbers(search_articles("motor correa")) == [both.number, one.number]


def test_a_typed_number_comes_first_even_when_words_match_others(make_article):
    make_article("Error 12 de la lavadora", "Código 12 en pantalla.")
    target = make_article("Cómo pedir la garantía", "Presente la boleta.")
    make_article("Otro 12", "12 12 12")
    assert numbers(search_articles(str(target.number)))[0] == target.number


def test_totals_count_each_article_once_after_edits(library, supervisor):
    for body in ("El compresor vibra.", "El compresor hace ruido.", "Compresor nuevo."):
        articles.update_article(library["ruido"].number, {"body": body}, supervisor)
    found = search_articles("compresor")
    assert (found.total, numbers(found)) == (1, [library["ruido"].number])


def test_highlights_escape_the_text_and_mark_every_form_of_the_word(make_article):
    make_article("Sellos", "Revise el sello si la presión es < 2 bar, y los sellos & el marco.")
    fragment = search_articles("sello").hits[0].highlights
    assert "&lt; 2 bar" in fragment and "&amp; el" in fragment
    assert fragment.count('<mark class="kb-hit">') == 2


def test_a_filter_that_matches_nothing_finds_nothing(library):
    noisy = library["topics"][1]
    assert search_articles("toner", topic_id=noisy.id).total == 0
