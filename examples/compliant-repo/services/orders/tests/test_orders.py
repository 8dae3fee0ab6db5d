"""Unit tests of the order routes."""

from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_create_then_read_order() -> None:
    created = client.post("/api/v1/orders", json={"lines": [{"sku": "SKU-0001", "quantity": 2}]})
    assert created.status_code == 201
    order_id = created.json()["id"]
    read = client.get(f"/api/v1/orders/{order_id}")
    assert read.status_code == 200
    assert read.headers["ETag"]
