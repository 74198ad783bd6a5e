"""``python -m governor``: the ``governor`` command."""

import sys

from governor.cli import main

if __name__ == "__main__":
    sys.exit(main())
