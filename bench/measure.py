"""Run a command; print its wall time in seconds, the peak RSS of its largest process in KiB, and its
exit status, or `timeout` when it ran longer than `--timeout SECONDS` (it is then killed, with every
process it started). Its own output goes to stderr (the last 400 characters).

    python bench/measure.py [--timeout SECONDS] COMMAND...
"""

import os
import resource
import signal
import subprocess
import sys
import time

command, timeout = sys.argv[1:], None
if command[:1] == ["--timeout"]:
    timeout, command = float(command[1]), command[2:]
started = time.perf_counter()
# A session of its own, so that a build that runs too long is killed with its worker processes.
child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
try:
    _, errors = child.communicate(timeout=timeout)
    status = str(child.returncode)
except subprocess.TimeoutExpired:
    os.killpg(child.pid, signal.SIGKILL)
    _, errors = child.communicate()
    status = "timeout"
seconds = time.perf_counter() - started
sys.stderr.write(errors.decode(errors="replace")[-400:])
print(f"{seconds:.4f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {status}")
