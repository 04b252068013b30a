"""Run a command; print its wall time in seconds, the peak RSS of its largest process in KiB, and its
exit status. Its own output goes to stderr (the last 400 characters)."""

import resource
import subprocess
import sys
import time

started = time.perf_counter()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
sys.stderr.write(result.stderr.decode(errors="replace")[-400:])
print(f"{seconds:.4f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {result.returncode}")
