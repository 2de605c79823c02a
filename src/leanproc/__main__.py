import sys

from leanproc.cli import main

sys.exit(main())
