"""CLV = m r / (1 + d - r) on customers whose churn and margin are counted by hand."""

import pandas as pd
import pytest

import cxkit as cx


def customers():
    t = pd.Timestamp
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "segment": ["x", "x", "x", "y"],
            "start_date": [t("2024-12-15"), t("2024-12-20"), t("2024-12-01"), t("2024-12-10")],
            "end_date": [t("2025-02-10"), pd.NaT, pd.NaT, t("2025-01-20")],
            "revenue": [10.0, 20.0, 30.0, 100.0],
        }
    )


def test_clv_from_revenue_by_hand():
    out = cx.clv(customers(), by="segment", as_of="2025-03-31", discount_rate=0.01)
    out = out.set_index("segment")
    # Segment x, periods Dec..Mar. At the start of Jan, Feb, Mar: 3, 3, 2 active
    # (a ends Feb 10) -> 8 customer-periods, 1 churn: r = 1 - 1/8 = 0.875. Dec: nobody yet.
    x = out.loc["x"]
    assert (x["customer_periods"], x["churned"]) == (8, 1)
    assert x["retention_rate"] == pytest.approx(87.5)  # percent
    assert x["margin"] == pytest.approx(20.0)  # mean revenue of a, b, c
    assert x["clv"] == pytest.approx(20.0 * 0.875 / (1 + 0.01 - 0.875))
    # Segment y: active at Jan 1 only, churns in Jan: r = 0, so CLV = 0
    assert out.loc["y", "retention_rate"] == 0 and out.loc["y", "clv"] == 0


def test_clv_from_orders_with_margin_rate():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "b", "c"],
            "order_date": pd.Timestamp("2025-01-05"),
            "amount": [40.0, 30.0, 50.0, 40.0],
        }
    )
    out = cx.clv(
        customers(), orders=orders, by="segment", as_of="2025-03-31", margin_rate=0.5
    ).set_index("segment")
    # x: 160 of orders over 8 customer-periods = 20 a period, half of it margin = 10
    assert out.loc["x", "margin"] == pytest.approx(0.5 * 160 / 8)


def test_clv_undefined_is_an_error():
    never = customers().assign(end_date=pd.NaT)
    with pytest.raises(
        cx.CxkitError, match=r"CLV is undefined for .*nobody churned and the discount rate is 0"
    ):
        cx.clv(never, as_of="2025-03-31", discount_rate=0.0)
    with pytest.raises(cx.CxkitError, match=r"`discount_rate` is per period"):
        cx.clv(customers(), discount_rate=1.5)
