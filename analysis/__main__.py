"""``python -m analysis <command>``: see :mod:`analysis.cli`."""

import sys

try:
    from analysis.cli import main

    sys.exit(main())
except KeyboardInterrupt:  # Ctrl-C while the libraries load: nothing was written yet
    print("interrupted; nothing was written", file=sys.stderr)
    sys.exit(130)
