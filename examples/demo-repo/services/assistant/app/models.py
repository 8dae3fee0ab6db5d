"""Tables of the payments assistant."""

from sqlmodel import Field, SQLModel


class Refund(SQLModel, table=True):
    __tablename__ = "refund"
    id: int | None = Field(default=None, primary_key=True)
    payment_id: str = Field(index=True)
    amount_cents: int
