"""PyInstaller entry point: the frozen executable starts here."""

import sys

from crofton_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
