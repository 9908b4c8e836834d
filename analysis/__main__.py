"""``python -m analysis <command>``: see :mod:`analysis.cli`."""

import signal
import sys

try:
    from analysis.cli import main

    code = main()
except KeyboardInterrupt:  # Ctrl-C while the libraries load: nothing was written yet
    print("interrupted; nothing was written", file=sys.stderr)
    sys.exit(130)
# the command has finished and its files are in place: a Ctrl-C while Python shuts down (which
# can take a second) must not turn a finished run into an exit status that says "interrupted"
signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.exit(code)
