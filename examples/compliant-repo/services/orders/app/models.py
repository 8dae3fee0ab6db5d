"""Order models, stored with SQLModel (schema: schemas/order.schema.json)."""

import hashlib
from datetime import datetime, timezone
from enum import Enum
from uuid import UUID, uuid4

from pydantic import BaseModel, Field


class OrderStatus(str, Enum):
    """States of the order lifecycle (ARCHITECTURE.md, Order lifecycle)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class OrderLine(BaseModel):
    """One product and its quantity."""

    sku: str = Field(pattern=r"^[A-Z0-9-]{4,32}$")
    quantity: int = Field(ge=1)


class NewOrder(BaseModel):
    """The body of POST /api/v1/orders."""

    lines: list[OrderLine] = Field(min_length=1)


class Order(BaseModel):
    """A stored order."""

    id: UUID = Field(default_factory=uuid4)
    status: OrderStatus = OrderStatus.PENDING
    lines: list[OrderLine]
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    def etag(self) -> str:
        """A strong validator of this representation."""
        return '"' + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16] + '"'


class OrderPage(BaseModel):
    """A page of orders and the cursor of the next one."""

    items: list[Order]
    next_cursor: str | None = None

    def etag(self) -> str:
        """A strong validator of this page."""
        return '"' + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16] + '"'
