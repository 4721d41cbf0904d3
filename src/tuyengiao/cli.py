"""The `tuyengiao` console script: Django's management commands with our settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuyengiao.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `tuyengiao import-divisions` = import_divisions
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
