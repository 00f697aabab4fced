"""``python -m athlos``: the athlos command."""

from athlos.cli import main

main()
