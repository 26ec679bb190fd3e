"""Accounts made before email verification existed get their address recorded as *unverified*: they
see none of their orders until they follow a verification link (sent when they next sign in) or reset
their password by email, which proves the address too. Idempotent: users with a row are left alone."""
from django.db import migrations


def record_unverified_addresses(apps, schema_editor):
    user_model = apps.get_model("auth", "User")
    email_address = apps.get_model("account", "EmailAddress")
    recorded = set(email_address.objects.values_list("user_id", flat=True))
    email_address.objects.bulk_create(
        [email_address(user_id=user_id, email=email.lower(), verified=False, primary=True)
         for user_id, email in user_model.objects.exclude(email="").values_list("id", "email")
         if user_id not in recorded],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(record_unverified_addresses, migrations.RunPython.noop)]
