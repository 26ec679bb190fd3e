"""CompiledQuery: compiled once, then the same rows, converted values and instances as the ORM itself gives
for any parameter values; a parameter that does not reach the SQL as given is refused at compile time."""
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F, JSONField, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from apps.core.compiled_queries import CompiledQuery, CompiledUpdate
from apps.core.testing import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def active_since(team: str, joined_after: datetime):
    return (User.objects.filter(last_name=team, date_joined__gt=joined_after)
            .annotate(card=JSONObject(name="username", staff=F("is_staff"), note=Value({"tier": 1}, JSONField())))
            .order_by("username").values_list("username", "card"))


EXAMPLES = {"team": "\x00team", "joined_after": datetime(1970, 1, 1, 0, 0, 0, 424242, tzinfo=UTC)}


@pytest.fixture
def users():
    now = timezone.now()
    UserFactory(username="ann", last_name="a", date_joined=now - timedelta(days=3))
    UserFactory(username="bob", last_name="a", date_joined=now - timedelta(days=1), is_staff=True)
    UserFactory(username="cy", last_name="b", date_joined=now - timedelta(days=1))
    return now


def test_rows_match_the_orm_for_every_parameter_value(users):
    # given
    query = CompiledQuery(active_since, **EXAMPLES)
    cases = [("a", users - timedelta(days=7)), ("a", users - timedelta(days=2)), ("b", users - timedelta(days=2)),
             ("nobody", users - timedelta(days=7))]
    # when / then: converted as the ORM converts them (the JSON object decoded, not text)
    for team, after in cases:
        assert query.rows(team=team, joined_after=after) == list(active_since(team, after))
    assert query.rows(team="a", joined_after=users - timedelta(days=2)) == [
        ("bob", {"name": "bob", "staff": True, "note": {"tier": 1}})]


def test_the_queryset_is_built_and_compiled_once(users):
    # given
    built = []
    query = CompiledQuery(lambda team: built.append(team) or User.objects.filter(last_name=team).values_list(
        "username"), team="\x00team")
    # when
    first, second = query.rows(team="a"), query.rows(team="b")
    # then
    assert built == ["\x00team"]
    assert sorted(first) == [("ann",), ("bob",)] and second == [("cy",)]


def test_instances_are_the_models_the_orm_would_give(users):
    query = CompiledQuery(lambda username: User.objects.filter(username=username), username="\x00name")
    [bob] = query.instances(username="bob")
    expected = User.objects.get(username="bob")
    assert isinstance(bob, User) and bob.pk == expected.pk and bob.is_staff and not bob._state.adding
    assert bob.date_joined == expected.date_joined and bob.email == expected.email and bob.last_name == "a"


def test_a_parameter_that_does_not_reach_the_sql_as_given_is_refused():
    # `endswith` passes "%" + the value to the database, not the value itself
    query = CompiledQuery(lambda username: User.objects.filter(username__endswith=username).values_list("id"),
                          username="\x00name")
    with pytest.raises(ValueError, match="username"):
        query.rows(username="ann")


def test_a_compiled_update_changes_what_the_orm_update_would_and_counts_the_rows(users):
    # given
    built = []

    def promote(team, title):
        built.append(team)
        return User.objects.filter(last_name=team), {"first_name": Value(title), "is_staff": True}

    update = CompiledUpdate(promote, team="\x00team", title="\x00title")
    # when
    changed = [update.execute(team="a", title="lead"), update.execute(team="nobody", title="x")]
    # then: built once, two rows changed then none, and only team a's
    assert built == ["\x00team"] and changed == [2, 0]
    assert sorted(User.objects.filter(is_staff=True).values_list("username", "first_name")) == [
        ("ann", "lead"), ("bob", "lead")]
    assert User.objects.get(username="cy").first_name != "lead"


def test_a_compiled_update_refuses_a_parameter_that_does_not_reach_the_sql_as_given():
    # `contains` sends '%team%', not the value given
    update = CompiledUpdate(lambda team: (User.objects.filter(last_name__contains=team), {"is_staff": True}),
                            team="\x00team")
    with pytest.raises(ValueError, match="team"):
        update.execute(team="a")
