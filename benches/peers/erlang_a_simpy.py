"""The `erlang_a` queue in SimPy, to put salesim's `erlang_a` benchmark beside a peer on
the same machine: 100 calls an hour, 5-minute exponential calls, 10 operators,
exponential patience of 1 minute, first come first served, one 31-day month.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install simpy
    /tmp/peers/bin/python benches/peers/erlang_a_simpy.py [REPLICATIONS]

Prints each replication's counts and the best rate in arrivals per second.
"""
import random
import sys
import time

import simpy


def run(seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    operators = simpy.Resource(env, capacity=10)
    counts = {"arrived": 0, "answered": 0, "abandoned": 0}

    def caller(env):
        with operators.request() as req:
            got = yield req | env.timeout(rng.expovariate(1 / 60.0))
            if req in got:
                counts["answered"] += 1
                yield env.timeout(rng.expovariate(1 / 300.0))
            else:
                counts["abandoned"] += 1

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(1 / 36.0))
            counts["arrived"] += 1
            env.process(caller(env))

    env.process(source(env))
    env.run(until=31 * 24 * 3600)
    return counts


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    best = 0.0
    for r in range(reps):
        t = time.perf_counter()
        c = run(r + 1)
        dt = time.perf_counter() - t
        best = max(best, c["arrived"] / dt)
        print(f"replication {r + 1}: {c}, {dt:.2f} s")
    print(f"best: {best / 1e3:.1f} thousand arrivals/s")


main()
