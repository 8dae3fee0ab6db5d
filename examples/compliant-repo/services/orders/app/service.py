"""Order use cases: the state machine and event publication."""

from uuid import UUID

from app.models import NewOrder, Order, OrderPage


class OrderService:
    """Keeps orders in memory in this example; production uses PostgreSQL."""

    def __init__(self) -> None:
        self._orders: dict[UUID, Order] = {}

    def create(self, new_order: NewOrder) -> Order:
        """Store a pending order."""
        order = Order(lines=new_order.lines)
        self._orders[order.id] = order
        return order

    def get(self, order_id: UUID) -> Order:
        """Return one order or raise KeyError."""
        return self._orders[order_id]

    def list(self, limit: int, cursor: str | None) -> OrderPage:
        """Return up to `limit` orders after `cursor`, newest first."""
        ordered = sorted(self._orders.values(), key=lambda o: o.created_at, reverse=True)
        start = 0
        if cursor is not None:
            ids = [str(o.id) for o in ordered]
            start = ids.index(cursor) + 1 if cursor in ids else len(ids)
        page = ordered[start : start + limit]
        more = start + limit < len(ordered)
        return OrderPage(items=page, next_cursor=str(page[-1].id) if more and page else None)
