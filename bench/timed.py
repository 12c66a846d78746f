#!/usr/bin/env python3
"""Time a command: the median wall time and median CPU time of RUNS runs.

usage: timed.py RUNS PREP CPUS CMD...
  PREP  a shell command run (untimed) before each run, "" for none
  CPUS  the CPUs the command may run on ("0", "0,1"), "" for any; set on
        this process and inherited (no taskset process in the timing)
Prints "WALL CPU" in seconds: wall from spawn to exit (time.monotonic),
CPU the child's user + system time with its threads and children
(os.wait4). Exits 1 when a run fails.
"""
import os
import subprocess
import sys
import time


def main():
    runs = int(sys.argv[1])
    prep, cpus, cmd = sys.argv[2], sys.argv[3], sys.argv[4:]
    mask = {int(c) for c in cpus.split(",")} if cpus else None
    walls, cpu = [], []
    # the child inherits the affinity; posix_spawn (vfork-like) keeps
    # this process's size out of the child's time
    if mask is not None:
        os.sched_setaffinity(0, mask)
    devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    for _ in range(runs):
        if prep:
            subprocess.run(["sh", "-c", prep], check=True)
        t0 = time.monotonic()
        pid = os.posix_spawnp(cmd[0], cmd, os.environ,
                              file_actions=devnull)
        _, status, ru = os.wait4(pid, 0)
        t1 = time.monotonic()
        if os.waitstatus_to_exitcode(status) != 0:
            print("FAILED: " + " ".join(cmd), file=sys.stderr)
            sys.exit(1)
        walls.append(t1 - t0)
        cpu.append(ru.ru_utime + ru.ru_stime)
    walls.sort()
    cpu.sort()
    print("%.6f %.6f" % (walls[runs // 2], cpu[runs // 2]))


main()
