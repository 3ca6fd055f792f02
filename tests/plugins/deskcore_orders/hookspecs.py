from deskcore.hookspecs import hookspec


@hookspec
def order_registered(order_number):
    """An order was registered; other plugins (an ERP export, say) pick it up."""
