"""The `erlang_a` queue in Ciw (M/M/10+M with reneging), to put salesim's `erlang_a`
benchmark beside a peer on the same machine: 100 calls an hour, 5-minute exponential
calls, 10 operators, exponential patience of 1 minute, one 31-day month (in minutes).

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install ciw
    /tmp/peers/bin/python benches/peers/erlang_a_ciw.py [REPLICATIONS]

Prints each replication's record count (one per caller served or reneged) and the best
rate in arrivals per second.
"""
import sys
import time

import ciw

NETWORK = ciw.create_network(
    arrival_distributions=[ciw.dists.Exponential(rate=100 / 60)],
    service_distributions=[ciw.dists.Exponential(rate=1 / 5)],
    number_of_servers=[10],
    reneging_time_distributions=[ciw.dists.Exponential(rate=1.0)],
)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    best = 0.0
    for r in range(reps):
        ciw.seed(r + 1)
        sim = ciw.Simulation(NETWORK)
        t = time.perf_counter()
        sim.simulate_until_max_time(31 * 24 * 60)
        dt = time.perf_counter() - t
        n = len(sim.get_all_records())
        best = max(best, n / dt)
        print(f"replication {r + 1}: {n} records, {dt:.2f} s")
    print(f"best: {best / 1e3:.1f} thousand arrivals/s")


main()
