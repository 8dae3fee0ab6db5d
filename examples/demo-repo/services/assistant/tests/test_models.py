from app.models import Refund


def test_refund_amount_is_kept():
    assert Refund(payment_id="pay_1", amount_cents=250).amount_cents == 250
