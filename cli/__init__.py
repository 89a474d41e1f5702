"""The command line: every action of the window, for district automation
and for tests (docs/cli.md).

One module per command group. Each defines ``register(commands)``, which
adds its commands with their options beside the handlers, and the handlers
import the library when they run: ``--help`` loads no database, Excel or
cryptography code. A handler parses, calls one library function (the same
the window calls) and prints what it returns; the JSON shapes are the
library's. Failures are UserErrors, worded by the library; main.py turns
them into one Vietnamese line and an exit code.
"""
