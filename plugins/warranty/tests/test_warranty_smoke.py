import pytest

pytestmark = pytest.mark.plugins("warranty")


def test_smoke(make_unit, make_ticket, make_claim, login, agent, client):
    unit = make_unit("SN-1")
    ticket = make_ticket(serial_number="SN-1", customer_id=unit.customer_id, received_at="2024-06-01T10:00:00Z")
    assert ticket.coverage == "warranty", ticket.coverage_reason
    claim = make_claim(ticket, "trade_in")
    assert claim.credit == claim.order.credit
    login(agent)
    for url in ["/plugins/warranty/claims/", f"/plugins/warranty/claims/{claim.number}", "/plugins/warranty/products/", "/plugins/warranty/products/RX-200", "/plugins/warranty/serials/SN-1", f"/tickets/{ticket.number}", f"/customers/{unit.customer_id}", f"/plugins/warranty/claims/new?ticket={ticket.number}"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.data[:3000])
