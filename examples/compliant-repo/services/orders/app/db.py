"""Order storage: SQLModel tables, and the engine with its pool and query timeout."""

from uuid import UUID, uuid4

from sqlalchemy.orm import selectinload
from sqlmodel import Field, Relationship, Session, SQLModel, create_engine, select


class OrderRow(SQLModel, table=True):
    """A stored order."""

    __tablename__ = "orders"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    status: str = Field(index=True, max_length=16)
    lines: list["OrderLineRow"] = Relationship(back_populates="order")


class OrderLineRow(SQLModel, table=True):
    """One product and its quantity in a stored order."""

    __tablename__ = "order_lines"

    id: int | None = Field(default=None, primary_key=True)
    order_id: UUID = Field(foreign_key="orders.id", index=True)
    sku: str = Field(max_length=32)
    quantity: int
    order: OrderRow = Relationship(back_populates="lines")


def make_engine(url: str):
    """The engine: a sized pool, and no query running longer than 30 seconds."""
    return create_engine(
        url,
        pool_size=10,
        max_overflow=5,
        pool_pre_ping=True,
        connect_args={"options": "-c statement_timeout=30000"},
    )


def pending_quantities(session: Session) -> dict[UUID, int]:
    """Units ordered per pending order, lines loaded with their orders in one query."""
    statement = select(OrderRow).where(OrderRow.status == "pending").options(selectinload(OrderRow.lines))
    return {order.id: sum(line.quantity for line in order.lines) for order in session.exec(statement)}
