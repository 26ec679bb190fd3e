"""docs/runbooks: the four runbooks the alert rules link to exist with every section on-call needs,
and every `python manage.py …` command in their ```sh blocks is real: the subcommand exists, its
arguments parse, and the read-only or idempotent ones run against the test database."""
import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class

from apps.catalog.testing import ProductFactory

ROOT = Path(__file__).resolve().parents[2]
RUNBOOKS = ROOT / "docs" / "runbooks"
LINKED_FROM_ALERTS = ("guest-checkout-conversion-regression.md", "low-stock-alerts.md",
                      "returns-reconciliation.md", "payment-gateway-outage.md")
SECTIONS = ("Symptoms", "Dashboards", "Diagnosis", "Mitigation", "Rollback", "Escalation")
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "2>&1", "&"}
# Safe to run in a test: read-only, or idempotent against the test database (no e-mail, no HTTP out).
RUNNABLE = {"run_stock_check", "recalculate_sales_velocity", "reconcile_returns", "flag_set", "relay_outbox", "shell"}


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, re.MULTILINE | re.DOTALL)


def manage_py_argv(line: str) -> list[str] | None:
    """The arguments after `python manage.py` on a shell line (None if the line runs no command)."""
    tokens = shlex.split(line, comments=True)
    for index in range(len(tokens) - 1):
        if tokens[index].startswith("python") and tokens[index + 1] == "manage.py":
            argv = []
            for token in tokens[index + 2:]:
                if token in SHELL_OPERATORS:
                    break
                argv.append(token)
            return argv
    return None


def runbook_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted(RUNBOOKS.glob("*.md")):
        for block in sh_blocks(path.read_text()):
            for line in block.replace("\\\n", " ").splitlines():
                argv = manage_py_argv(line)
                if argv is not None:
                    found.append((path.name, argv))
    return found


COMMANDS = runbook_commands()


def parse(argv: list[str]) -> None:
    """Raise CommandError unless `manage.py <argv>` names a command whose parser accepts the arguments."""
    if not argv:
        raise CommandError("python manage.py without a subcommand")
    name, *arguments = argv
    commands = get_commands()
    if name not in commands:
        raise CommandError(f"Unknown command: {name}")
    command = load_command_class(commands[name], name)
    command.create_parser("manage.py", name).parse_args(arguments)


@pytest.mark.parametrize("filename", LINKED_FROM_ALERTS)
def test_runbook_exists_with_every_section(filename):
    text = (RUNBOOKS / filename).read_text()
    headings = re.findall(r"^##+ (.+)$", text, re.MULTILINE)
    for section in SECTIONS:
        assert any(section.lower() in heading.lower() for heading in headings), f"{filename}: no {section} section"
    assert sh_blocks(text), f"{filename}: commands go in ```sh blocks"


def test_every_manage_py_line_is_inside_an_sh_block_and_found():
    for path in RUNBOOKS.glob("*.md"):
        text = path.read_text()
        fenced = sum(block.count("manage.py") for block in sh_blocks(text))
        outside = re.sub(r"^[ \t]*```sh\n.*?^[ \t]*```", "", text, flags=re.MULTILINE | re.DOTALL)
        assert not re.search(r"^\s*(kubectl .*)?python manage\.py", outside, re.MULTILINE), path.name
        assert fenced == sum(1 for name, _ in COMMANDS if name == path.name), path.name


@pytest.mark.parametrize(("runbook", "argv"), COMMANDS, ids=[f"{r}:{' '.join(a)[:60]}" for r, a in COMMANDS])
def test_command_exists_and_its_arguments_parse(runbook, argv):
    parse(argv)


@pytest.mark.parametrize("argv", [
    ["flag_sett", "apple_pay"],
    ["flag_set", "apple_pay", "--explode"],
    ["recalculate_sales_velocity", "--as-of", "yesterday"],
    ["returns_smoke_test"],
])
def test_the_checker_refuses_commands_that_would_fail(argv):
    with pytest.raises(CommandError):
        parse(argv)


def test_the_runbooks_use_every_safe_command():
    """Keeps the run test below meaningful: each safe command appears in some runbook."""
    assert {argv[0] for _, argv in COMMANDS} >= RUNNABLE


@pytest.mark.django_db(transaction=False)
def test_safe_commands_run_against_the_database_in_runbook_order(capsys):
    ProductFactory(id="prod_monitor_32in", sku="MON-32-4K-PRO")
    ran = []
    for runbook, (name, *arguments) in COMMANDS:
        if name not in RUNNABLE:
            continue
        out = StringIO()
        call_command(name, *arguments, stdout=out)
        output = out.getvalue() + capsys.readouterr().out  # `shell -c` prints to sys.stdout
        ran.append(name)
        assert output.strip(), f"{runbook}: {name} printed nothing"
        if name == "run_stock_check":
            assert output.startswith("evaluated "), output
        if name == "recalculate_sales_velocity" and arguments:
            assert output.startswith("prod_monitor_32in: avg daily sales"), output
        if name == "reconcile_returns":
            assert "check failed" not in output, output
        if name == "relay_outbox":
            assert output.strip().endswith("failed=0"), output
        if name == "shell" and "GatewayBreaker" in arguments[-1]:
            assert output.strip().endswith("closed"), output
        if name == "shell" and "payment_reconcile_pending" in arguments[-1]:
            assert output.strip().endswith("0"), output
        if name == "flag_set":
            assert output.startswith(f"{arguments[0]}: enabled="), output
    assert set(ran) == RUNNABLE
