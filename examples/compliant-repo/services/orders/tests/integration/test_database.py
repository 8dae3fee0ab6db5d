"""Integration tests against PostgreSQL (the CI job provides the database)."""

from app.models import NewOrder, OrderLine
from app.service import OrderService


def test_created_orders_are_listed() -> None:
    service = OrderService()
    created = service.create(NewOrder(lines=[OrderLine(sku="SKU-0001", quantity=1)]))
    assert service.list(limit=10, cursor=None).items[0].id == created.id
