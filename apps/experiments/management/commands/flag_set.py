"""`python manage.py flag_set <key> [--kill|--revive|--on|--off] [--rollout PCT] --reason "..."`.

The command-line twin of the admin's flag actions, for on-call when the admin is unreachable or a
runbook wants a command to paste. Every change goes through the audited flag services (the audit
log records `cli:<actor>` and the reason) and bumps the configuration version, so every web and
worker process serves the new value within FLAGS_CACHE_CHECK_MS. Without a change it only prints
the flag. It never creates a flag: an unknown key is an error that lists the known ones.
"""
import getpass

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError

from ...models import Flag
from ...services.flags import flag_kill, flag_revive, flag_state, flag_update


class Command(BaseCommand):
    help = ("Show a feature flag, or change it through the audited services: --kill / --revive (kill switch), "
            "--on / --off, --rollout PCT. Changes need --reason.")

    def add_arguments(self, parser):
        parser.add_argument("key", help="flag key, e.g. apple_pay")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--kill", action="store_true", help="engage the kill switch: everyone gets the fallback")
        action.add_argument("--revive", action="store_true", help="release the kill switch")
        action.add_argument("--on", action="store_true", help="enable the flag (its rollout and rules apply)")
        action.add_argument("--off", action="store_true", help="disable the flag: everyone gets the fallback")
        parser.add_argument("--rollout", type=float, metavar="PCT", help="rollout percentage, 0 to 100")
        parser.add_argument("--reason", default="", help="why (kept in the flag's audit log); required for changes")
        parser.add_argument("--actor", default=None, help="who, for the audit log (default: the OS user)")

    def handle(self, *args, key, kill, revive, on, off, rollout, reason, actor, **options):
        flag = Flag.objects.filter(key=key).first()
        if flag is None:
            known = ", ".join(Flag.objects.order_by("key").values_list("key", flat=True)) or "none"
            raise CommandError(f"No flag {key!r}. Known flags: {known}.")
        changing = kill or revive or on or off or rollout is not None
        if changing and not reason.strip():
            raise CommandError('Say why with --reason "..." (it goes into the audit log).')
        actor_label = f"cli:{actor or getpass.getuser()}"
        try:
            if kill:
                flag = flag_kill(flag=flag, actor=actor_label, reason=reason)
            elif revive:
                flag = flag_revive(flag=flag, actor=actor_label, reason=reason)
            data = {}
            if on or off:
                data["enabled"] = bool(on)
            if rollout is not None:
                data["rollout_percentage"] = rollout
            if data:
                flag = flag_update(flag=flag, actor=actor_label, data=data, reason=reason)
        except ApplicationError as error:
            raise CommandError(f"{key}: {error.message}") from error
        state = flag_state(flag)
        self.stdout.write(f"{flag.key}: " + ", ".join(f"{name}={state[name]}" for name in (
            "enabled", "kill_switch", "rollout_percentage", "on_value", "fallback_value", "archived")))
