"""A readiness problem is named, not disguised: a database that cannot be reached is a 503 the client may
retry, a database error that retrying cannot fix (a cancelled statement, a missing database) is a 500 in the
envelope with its cause logged."""
import logging

import psycopg
import pytest
from django.db import OperationalError, connection

from apps.core.errors import is_outage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("apps.core.tests.urls")]


def database_error(url: str) -> OperationalError:
    """The OperationalError Django raises when connecting to `url` fails (psycopg's error as its cause)."""
    try:
        with connection.wrap_database_errors:
            psycopg.connect(url, connect_timeout=3)
    except OperationalError as error:
        return error
    raise AssertionError(f"connecting to {url} worked")


def test_a_statement_postgresql_cancels_is_a_500_with_its_cause_logged(client, caplog):
    with caplog.at_level(logging.ERROR, logger="apps.core.errors"):
        response = client.get("/api/test/statement-timeout")

    assert response.status_code == 500 and "Retry-After" not in response
    assert response.json()["error"] == "INTERNAL_ERROR"
    [record] = [r for r in caplog.records if r.getMessage() == "database error that retrying cannot fix"]
    assert (record.error, record.sqlstate) == ("QueryCanceled", "57014")


def test_nothing_listening_is_an_outage_but_a_missing_database_is_not():
    settings = connection.settings_dict
    server = f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"

    assert is_outage(database_error("postgresql://postgres@127.0.0.1:1/vantage"))
    assert not is_outage(database_error(f"{server}/vantage_no_such_database"))
