"""Customers: created with normalised keys and found by phone, national ID or name."""

import pytest

from deskcore.errors import NotFound, ValidationError
from deskcore.models import CustomerNameToken
from deskcore.services import create_customer, find_customers, update_customer


@pytest.fixture
def juan(app):
    return create_customer(
        {
            "name": "Juan Pérez Soto",
            "national_id": "12.345.678-K",
            "email": "juan@example.cl",
            "phones": [
                {"number": "+56 9 8765 4321", "label": "móvil"},
                {"number": "(2) 2345-6789", "label": "casa"},
            ],
        }
    )


def test_phones_keep_what_was_typed_and_their_digits(juan):
    assert [(p.number, p.digits) for p in juan.phones] == [
        ("+56 9 8765 4321", "56987654321"),
        ("(2) 2345-6789", "223456789"),
    ]


@pytest.mark.parametrize(
    "typed",
    ["+56 9 8765 4321", "56987654321", "9 8765 4321", "87654321", "8765-4321", "(2) 2345-6789"],
)
def test_caller_is_found_by_phone_in_any_format(juan, typed):
    assert find_customers(typed) == [juan]


def test_caller_id_with_country_code_finds_number_stored_without_it(app):
    maria = create_customer({"name": "María", "phones": [{"number": "9 8765 0000"}]})
    assert find_customers("+56987650000") == [maria]


def test_phone_lookup_does_not_match_other_numbers(juan, make_customer):
    make_customer(phones=[{"number": "+56 9 1111 2222"}])
    assert find_customers("87654320") == []


@pytest.mark.parametrize("typed", ["12.345.678-K", "12345678k", "12345678-k"])
def test_caller_is_found_by_national_id_in_any_format(juan, typed):
    assert find_customers(typed) == [juan]


@pytest.mark.parametrize("typed", ["juan", "perez", "pérez", "PEREZ JU", "soto juan", "Pér"])
def test_caller_is_found_by_any_words_of_the_name(juan, typed):
    assert find_customers(typed) == [juan]


def test_name_search_needs_every_word(juan, make_customer):
    make_customer(name="Juan González")
    assert [c.name for c in find_customers("juan gonz")] == ["Juan González"]
    assert {c.name for c in find_customers("juan")} == {"Juan González", "Juan Pérez Soto"}


def test_results_are_alphabetical_and_limited(make_customer):
    for name in ["Zoe Díaz", "Ana Díaz", "Berta Díaz"]:
        make_customer(name=name)
    assert [c.name for c in find_customers("diaz")] == ["Ana Díaz", "Berta Díaz", "Zoe Díaz"]
    assert len(find_customers("diaz", limit=2)) == 2


def test_consultants_can_be_searched_apart(make_customer):
    make_customer(name="Carla Ruiz")
    consultant = make_customer(name="Carlos Ruiz", kind="consultant")
    assert find_customers("ruiz", kind="consultant") == [consultant]


def test_empty_query_finds_nobody(juan):
    assert find_customers("  ") == []


def test_update_replaces_name_keys_and_phones(juan):
    update_customer(juan.id, {"name": "Juana Pérez", "phones": [{"number": "600 600 600"}]})
    assert find_customers("juana") == [juan]
    assert find_customers("soto") == []
    assert find_customers("87654321") == []
    assert find_customers("600600600") == [juan]
    tokens = {t.token for t in CustomerNameToken.query.filter_by(customer_id=juan.id)}
    assert tokens == {"juana", "perez"}


def test_update_keeps_fields_not_given(juan):
    update_customer(juan.id, {"city": "Valparaíso"})
    assert (juan.city, juan.email, len(juan.phones)) == ("Valparaíso", "juan@example.cl", 2)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "—"}, "name"),
        ({"name": "Ana", "email": "not-an-email"}, "email"),
        ({"name": "Ana", "kind": "vip"}, "kind"),
        ({"name": "Ana", "phones": [{"number": "12"}]}, "phones"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_customer_input_names_the_field_and_writes_nothing(app, data, field):
    from deskcore.models import Customer

    with pytest.raises(ValidationError) as exc:
        create_customer(data)
    assert field in exc.value.messages
    assert Customer.query.count() == 0


def test_updating_a_missing_customer_is_not_found(app):
    with pytest.raises(NotFound):
        update_customer(999, {"city": "Arica"})
