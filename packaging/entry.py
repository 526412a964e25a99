"""Entry point of the frozen bundle.

One binary serves both programs: ``duty-console`` and, when the first argument is
``platform-sim``, the district-platform simulator that demo mode starts as a child
process (a frozen bundle has no separate Python to run ``-m simulator.cli`` with).
"""

import sys


def _main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "platform-sim":
        from simulator.cli import main as sim_main

        sys.argv = [sys.argv[0]] + sys.argv[2:]
        return sim_main() or 0
    from console.app import main

    return main() or 0


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    raise SystemExit(_main())
