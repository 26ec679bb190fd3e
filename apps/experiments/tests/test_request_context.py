"""Contexts built from requests: signed-in users bucket by user id, guests by session."""
import pytest
from django.test import RequestFactory

from apps.experiments.public import context_from_request

pytestmark = pytest.mark.django_db


class _Session:
    def __init__(self, key=None):
        self.session_key = key

    def save(self):
        self.session_key = self.session_key or "new-session"


@pytest.mark.parametrize(("agent", "device"), [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", "mobile"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15", "desktop"),
])
def test_guest_context_uses_the_session_and_the_device(agent, device):
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent)
    request.user = type("Anon", (), {"is_authenticated": False})()
    request.session = _Session()
    context = context_from_request(request, cart_value=40)
    assert context == {"device": device, "region": "us-east-1", "signed_in": False, "session_id": "new-session",
                       "cart_value": 40}


def test_signed_in_context_uses_the_user_id(django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user(username="u1", password="pw-123-abc")
    request.session = _Session("s1")
    context = context_from_request(request)
    assert context["user_id"] == str(request.user.pk) and context["signed_in"] and "session_id" not in context
