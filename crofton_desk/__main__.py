"""`python -m crofton_desk` behaves exactly like the `crofton-desk` command."""

import sys

from crofton_desk.cli import main

sys.exit(main())
