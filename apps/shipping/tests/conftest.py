"""Fixtures of the shipping tests: an ops user allowed to edit the shipping configuration, and the demo rates."""
import pytest
from django.contrib.auth.models import Permission

from apps.shipping.testing import shipping_rates  # noqa: F401 - the demo rates, as other apps' tests get them


@pytest.fixture
def shipping_staff_client(staff_client, staff_user):
    """`staff_client` with every permission on the shipping models (and no other)."""
    staff_user.user_permissions.set(Permission.objects.filter(content_type__app_label="shipping"))
    return staff_client
