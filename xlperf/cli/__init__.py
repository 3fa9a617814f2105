"""The command line: one package, thin glue over the library, one library call per command.

Each command lives in a module of this package and is registered on the one ``cli`` group here.
"""

from __future__ import annotations

from xlperf.cli.audit import audit_command
from xlperf.cli.base import cli
from xlperf.cli.app import app_command
from xlperf.cli.batch import batch_command
from xlperf.cli.doctor import doctor_command
from xlperf.cli.commands import _xlsm_macros  # noqa: F401  (tests build .xlsm through it)
from xlperf.cli.profile import profile_command
from xlperf.cli.importing import import_command
from xlperf.cli.report import report_command
from xlperf.cli.stages import advance_command

cli.add_command(report_command, "report")
cli.add_command(batch_command, "batch")
cli.add_command(profile_command, "profile")
cli.add_command(import_command, "import")
cli.add_command(app_command, "app")
cli.add_command(doctor_command, "doctor")
cli.add_command(audit_command, "audit")
cli.add_command(advance_command, "advance")


def main():
    from xlperf.cli.guard import guarded

    guarded(cli, prog_name="xlperf")


__all__ = ["cli", "main"]
