import sys

from sync.hub.cli import main

sys.exit(main())
