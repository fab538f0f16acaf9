"""Allow ``python -m evidencegen``."""

from evidencegen.cli import main

main()
