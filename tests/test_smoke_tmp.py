import deskcore_dummy.plugin as dummy
import pytest

from deskcore.services import close_ticket, find_customers, open_ticket, reopen_ticket


def test_open_and_find(app, agent, make_customer):
    c = make_customer(name="Juan Pérez", phones=[{"number": "+56 9 8765 4321"}])
    t = open_ticket({"customer_id": c.id, "subject": "No enciende"}, agent)
    t2 = open_ticket({"customer_id": c.id, "subject": "Otra"}, agent)
    assert (t.number, t2.number) == (1, 2)
    assert find_customers("87654321") == [c]
    assert find_customers("perez ju") == [c]
    assert find_customers("56987654321") == [c]
    close_ticket(1, {"resolution": "cambiado"}, agent)
    reopen_ticket(1, {}, agent)
    assert t.status.code == "pending"


@pytest.mark.plugins("dummy")
def test_dummy(app, client, make_ticket, disable_plugin):
    dummy.CALLS.clear()
    make_ticket()
    assert [c[0] for c in dummy.CALLS] == ["ticket_opened"]
    assert client.get("/plugins/dummy/ping").status_code == 200
    disable_plugin("dummy")
    assert client.get("/plugins/dummy/ping").status_code == 404
