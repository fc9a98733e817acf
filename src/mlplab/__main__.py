"""``python -m mlplab``: the same command line as the ``mlplab`` console script."""

import sys

from mlplab.cli import main

if __name__ == "__main__":
    sys.exit(main())
