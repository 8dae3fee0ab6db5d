"""HTTP entry point of the orders service (contract: docs/api/openapi.yaml)."""

from uuid import UUID

from fastapi import APIRouter, FastAPI, Response

from app.correlation import add_correlation_ids
from app.errors import register_problem_handlers
from app.models import NewOrder, Order, OrderPage
from app.service import OrderService

app = FastAPI(title="Orders API", version="1.2.0")
add_correlation_ids(app)
register_problem_handlers(app)
router = APIRouter(prefix="/api/v1")
service = OrderService()


@app.get("/healthz", include_in_schema=False)
def health() -> dict[str, str]:
    """Liveness and readiness: the process serves requests."""
    return {"status": "ok"}


@router.get("/orders", response_model=OrderPage)
def list_orders(response: Response, limit: int = 20, cursor: str | None = None) -> OrderPage:
    """List the caller's orders, newest first, one page at a time."""
    page = service.list(limit=limit, cursor=cursor)
    response.headers["ETag"] = page.etag()
    return page


@router.post("/orders", response_model=Order, status_code=201)
def create_order(order: NewOrder) -> Order:
    """Store a pending order and publish OrderCreated."""
    return service.create(order)


@router.get("/orders/{order_id}", response_model=Order)
def get_order(order_id: UUID, response: Response) -> Order:
    """Read one order."""
    order = service.get(order_id)
    response.headers["ETag"] = order.etag()
    return order


app.include_router(router)
