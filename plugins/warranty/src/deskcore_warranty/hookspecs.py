"""Hooks the warranty plugin defines for other plugins (a company's ERP export, invoicing).

Both are called inside the claim's unit of work: rows a listener adds are committed with the
claim, and an exception rolls the claim back and names the listening plugin.
"""

from __future__ import annotations

from deskcore.hookspecs import hookspec


@hookspec
def warranty_order_registered(order):
    """A warranty claim was registered as an order; pick it up for the sales side.

    ``order`` is a ``deskcore_warranty.models.Order``: ``order.label`` ("WO-7"),
    ``order.claim`` (kind, ticket, agent, reason …), ``order.customer``, ``order.credit``
    (a ``Decimal``, 0.00 unless a trade-in) and ``order.lines`` (kind, description,
    serial_number, quantity, value, credit).

    Example::

        @hookimpl
        def warranty_order_registered(order):
            erp_queue.add(order.label, order.customer.national_id, order.credit)
    """


@hookspec
def warranty_claim_changed(claim, old_status, new_status, agent):
    """A claim moved along open → approved | rejected → completed.

    ``claim.order`` follows it: a rejected claim's order is void, a completed one's is done.

    Example::

        @hookimpl
        def warranty_claim_changed(claim, old_status, new_status, agent):
            if new_status == "rejected":
                erp_queue.cancel(claim.order.label)
    """
