"""``python -m service.cli`` runs the ``meetwire`` command."""

from service.cli.main import main

main()
