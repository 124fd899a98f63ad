import sys

from civicpost.cli import main

sys.exit(main())
