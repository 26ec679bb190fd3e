"""The experiments HTTP API: flag evaluation for services, the analyst's calculator, auth."""
import pytest

pytestmark = pytest.mark.django_db


def test_flags_evaluate_returns_every_flag_for_the_context(api_client, service_headers):
    response = api_client.post("/api/v1/flags/evaluate", {"context": {"user_id": 7, "region": "us-east-1"}},
                               format="json", headers=service_headers)
    assert response.status_code == 200
    flags = response.json()["flags"]
    assert flags["guest_checkout_v2"] is True and flags["checkout_progress_dots"] is True
    assert flags["self_service_returns"] is False


def test_flags_evaluate_can_ask_for_some_keys(api_client, service_headers):
    response = api_client.post("/api/v1/flags/evaluate", {"context": {"session_id": "g1"},
                                                          "flags": ["apple_pay", "unknown"]},
                               format="json", headers=service_headers)
    assert response.json() == {"flags": {"apple_pay": True, "unknown": None}}


@pytest.mark.parametrize("headers", [{}, {"X-Service-Auth": "Bearer wrong"}, {"X-Service-Auth": "svc_dev"}])
def test_flags_evaluate_requires_service_auth(api_client, headers):
    response = api_client.post("/api/v1/flags/evaluate", {"context": {}}, format="json", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "UNAUTHORIZED"


def test_flags_evaluate_validates_the_body(api_client, service_headers):
    response = api_client.post("/api/v1/flags/evaluate", {"context": "nope"}, format="json", headers=service_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "context"


ANALYZE_BODY = {
    "control": "control",
    "variants": [{"name": "control", "units": 142380, "conversions": 95834},
                 {"name": "variant_a", "units": 71204, "conversions": 46852},
                 {"name": "variant_b", "units": 71891, "conversions": 50435}],
    "planned_allocation": {"control": 50, "variant_a": 25, "variant_b": 25},
}


def test_analyze_returns_rates_lifts_p_values_and_srm(api_client, service_headers):
    response = api_client.post("/api/v1/experiments/analyze", ANALYZE_BODY, format="json", headers=service_headers)
    assert response.status_code == 200
    body = response.json()
    by_name = {v["name"]: v for v in body["variants"]}
    assert by_name["control"]["is_control"] and by_name["control"]["p_value"] is None
    assert by_name["variant_b"]["rate"] == pytest.approx(50435 / 71891)
    assert by_name["variant_b"]["absolute_lift"] == pytest.approx(50435 / 71891 - 95834 / 142380)
    assert len(by_name["variant_b"]["absolute_lift_ci"]) == 2 and by_name["variant_b"]["significant"]
    assert body["srm"]["flagged"] is False and body["srm"]["degrees_of_freedom"] == 2


def test_analyze_flags_a_skewed_split(staff_client):
    body = {**ANALYZE_BODY, "variants": [{"name": "control", "units": 50000, "conversions": 100},
                                         {"name": "variant_a", "units": 27000, "conversions": 60},
                                         {"name": "variant_b", "units": 23000, "conversions": 50}]}
    response = staff_client.post("/api/v1/experiments/analyze", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["srm"]["flagged"] is True


def test_analyze_rejects_inconsistent_counts_in_the_envelope(api_client, service_headers):
    body = {**ANALYZE_BODY, "variants": [{"name": "control", "units": 10, "conversions": 11},
                                         {"name": "variant_a", "units": 10, "conversions": 1},
                                         {"name": "variant_b", "units": 10, "conversions": 1}]}
    response = api_client.post("/api/v1/experiments/analyze", body, format="json", headers=service_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "variants[0].conversions"


@pytest.mark.parametrize("path", ["/api/v1/analytics/payment-methods", "/api/v1/analytics/guest-checkout",
                                  "/api/v1/analytics/experiments", "/api/v1/analytics/experiments/EXP-2025-163"])
def test_analytics_json_needs_staff_or_a_service_token(client, django_user_model, service_headers, path):
    assert client.get(path).status_code == 401
    client.force_login(django_user_model.objects.create_user(username="shopper", password="pw-123-abc"))
    assert client.get(path).status_code == 403
    assert client.get(path, headers=service_headers).status_code == 200


def test_analytics_rejects_a_bad_date_range(api_client, service_headers):
    response = api_client.get("/api/v1/analytics/payment-methods?start=2025-13-01&granularity=hour",
                              headers=service_headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"start", "granularity"}


@pytest.mark.parametrize(("change", "field"), [
    ({"planned_allocation": {"control": 1e308, "variant_a": 1e308, "variant_b": 1e308}}, "planned_allocation"),
    ({"planned_allocation": {"control": "Infinity", "variant_a": 1, "variant_b": 1}}, "planned_allocation"),
    ({"planned_allocation": {"control": "NaN", "variant_a": 1, "variant_b": 1}}, "planned_allocation"),
    ({"variants": [{"name": "control", "units": 10**20, "conversions": 10**19}, *ANALYZE_BODY["variants"][1:]]},
     "variants"),
    ({"confidence_level": "nan"}, "confidence_level"),
])
def test_analyze_refuses_non_finite_or_absurd_numbers_with_a_422(api_client, service_headers, change, field):
    # given a client that reports errors as responses, as a real server would
    api_client.raise_request_exception = False

    # when
    response = api_client.post("/api/v1/experiments/analyze", {**ANALYZE_BODY, **change}, format="json",
                               headers=service_headers)

    # then
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} <= {"OUT_OF_RANGE", "INVALID_FORMAT"}
    assert all(e["field"].startswith(field) for e in response.json()["errors"])
