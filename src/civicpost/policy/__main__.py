"""``python -m civicpost.policy``: the policy command line."""

import sys

from civicpost.policy.cli import main

if __name__ == "__main__":
    sys.exit(main())
