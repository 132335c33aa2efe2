#!/usr/bin/env bash
# The README's Slurm recipe, run on a real scheduler: a single-node Slurm from Debian's
# packages (slurm-wlm, munge) started here without systemd, the sweep submitted as a job
# array of 4 shards, merged, and compared with the same sweep run on one machine by the
# merge test's rules (replications.csv byte for byte, counts and percentiles exactly,
# moments to 12 significant digits). Daemons are stopped and files removed on every exit.
#
#   bash scripts/slurm-test.sh [path/to/salesim]      (as root, on Debian)
#
# Not root or not Debian: it says so and skips (exit 0), unless SALESIM_REQUIRE_SLURM=1,
# which makes that a failure (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "slurm test skipped: $1"
  if [ "${SALESIM_REQUIRE_SLURM:-0}" = 1 ]; then exit 1; fi
  exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (it installs and starts slurmctld, slurmd and munged)"
[ -f /etc/debian_version ] || skip "needs Debian's slurm-wlm and munge packages"

SALESIM="${1:-target/release/salesim}"
[ -x "$SALESIM" ] || cargo build --release --locked
SALESIM="$(cd "$(dirname "$SALESIM")" && pwd)/$(basename "$SALESIM")"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

WORK="$(mktemp -d /tmp/salesim-slurm.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/munged.pid" ] && kill "$(cat "$WORK/munged.pid")" 2>/dev/null || true
  sleep 1
  [ -n "${SALESIM_SLURM_KEEP:-}" ] && cp -r "$WORK" "$SALESIM_SLURM_KEEP"; rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== munge: a generated key, munged as the munge user"
mkdir -p "$WORK/munge" /run/munge
dd if=/dev/urandom bs=1 count=1024 of="$WORK/munge/munge.key" status=none
chown -R munge:munge "$WORK/munge" /run/munge
chmod 700 "$WORK/munge"
chmod 400 "$WORK/munge/munge.key"
runuser -u munge -- munged --key-file="$WORK/munge/munge.key" \
  --socket=/run/munge/munge.socket.2 --pid-file="$WORK/munged.pid" \
  --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed" --force
munge -n | unmunge >/dev/null

echo "== slurm: one node ($(hostname -s)) with 2 CPUs, slurmctld and slurmd in the foreground"
NODE="$(hostname -s)"
mkdir -p "$WORK/state" "$WORK/spool" /etc/slurm
cat >"$WORK/slurm.conf" <<EOF
ClusterName=salesim
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$WORK/jobcomp.log
MpiDefault=none
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=main Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
  if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then break; fi
  sleep 1
done
if ! sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
  echo "slurm did not come up:"; cat "$WORK"/slurmctld.out "$WORK"/slurmd.out "$WORK"/*.log 2>/dev/null | tail -40
  exit 1
fi
sinfo

SCENARIO="$PWD/scenarios/roofing_seasonal.toml"
SWEEP=(sweep "$SCENARIO" --set roles.call_centre.count=2,4 --structures one_level,conveyor
  --replications 40 --quiet --no-report)

echo "== the README's job array: 4 shards of the sweep"
cat >"$WORK/shard.sh" <<EOF
#!/usr/bin/env bash
#SBATCH --array=1-4
#SBATCH --cpus-per-task=1
#SBATCH --output=$WORK/shard-%a.out
exec "$SALESIM" ${SWEEP[*]} --shard \${SLURM_ARRAY_TASK_ID}/4 --out "$WORK/parts/\${SLURM_ARRAY_TASK_ID}"
EOF
start=$(date +%s.%N)
JOB=$(sbatch --parsable "$WORK/shard.sh")
echo "submitted job array $JOB"
for _ in $(seq 240); do
  [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break
  sleep 0.5
done
end=$(date +%s.%N)
[ -z "$(squeue -h -j "$JOB")" ] || { echo "the array did not finish in 2 minutes"; squeue; exit 1; }
echo "sacct (read from the job completion log: there is no accounting database here):"
sacct -c -n -o JobID,JobName,State,ExitCode 2>/dev/null | sed 's/^/  /' || true
echo "each shard's state (its job completion record):"
failed=0
for k in 1 2 3 4; do
  state=$(grep "ArrayJobId=$JOB ArrayTaskId=$k " "$WORK/jobcomp.log" 2>/dev/null |
    grep -o "JobState=[A-Z_]*" | head -1 | cut -d= -f2 || true)
  echo "  ${JOB}_$k: ${state:-unknown}"
  [ "$state" = COMPLETED ] || failed=1
done
if [ "$failed" = 1 ]; then
  echo "a shard did not complete:"; cat "$WORK"/shard-*.out; tail -5 "$WORK/jobcomp.log" 2>/dev/null || true
  exit 1
fi

echo "== merge, and the same sweep on one machine"
"$SALESIM" merge "$WORK"/parts/1 "$WORK"/parts/2 "$WORK"/parts/3 "$WORK"/parts/4 \
  --out "$WORK/merged" --no-report --quiet >/dev/null
one_start=$(date +%s.%N)
"$SALESIM" "${SWEEP[@]}" --out "$WORK/single" >/dev/null
one_end=$(date +%s.%N)

python3 - "$WORK/merged" "$WORK/single" <<'EOF'
import csv, sys
merged, single = sys.argv[1], sys.argv[2]
def read(d, f):
    return list(csv.reader(open(f"{d}/{f}", newline="")))
ok = open(f"{merged}/replications.csv", "rb").read() == open(f"{single}/replications.csv", "rb").read()
print(f"  replications.csv byte for byte: {'equal' if ok else 'DIFFERENT'}")
worst = 0.0
for f in ["summary.csv", "monthly.csv", "differences.csv"]:
    a, b = read(merged, f), read(single, f)
    if len(a) != len(b) or a[0] != b[0]:
        print(f"  {f}: different shape"); ok = False; continue
    head = a[0]
    exact = {"n", "p5", "p50", "p95"}
    for ra, rb in zip(a[1:], b[1:]):
        # A row's scale: its largest number. A difference of two equal structures' means
        # is rounding noise around zero (1e-17), whose size depends on the order the
        # moments were merged in: it is judged against the scale of the row's figures.
        nums = []
        for h, v in list(zip(head, ra)) + list(zip(head, rb)):
            try:
                if h not in exact:
                    nums.append(abs(float(v)))
            except ValueError:
                pass
        scale = max([x for x in nums if x == x and x != float("inf")] or [0.0])
        for h, x, y in zip(head, ra, rb):
            if x == y:
                continue
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                print(f"  {f}: {h} {x!r} != {y!r}"); ok = False; continue
            if h in exact:
                print(f"  {f}: {h} {x} != {y}"); ok = False; continue
            rel = abs(fx - fy) / max(abs(fx), abs(fy), scale, 1e-300)
            worst = max(worst, rel)
            if rel > 5e-12:
                print(f"  {f}: {h} {x} vs {y} (relative {rel:.1e})"); ok = False
print(f"  counts and percentiles equal; moments within {worst:.1e} relative")
print("merge comparison: " + ("EQUAL to one machine" if ok else "DIFFERENT"))
sys.exit(0 if ok else 1)
EOF
python3 -c "print(f'array of 4 shards: {$end - $start:.1f} s from submission to the last shard; one process: {$one_end - $one_start:.1f} s')"
