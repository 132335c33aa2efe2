"""Checks deploy/k8s-job.yaml (no cluster runs here): it parses as YAML, holds an
indexed Job whose pods each run one shard of N with N equal to its completions, and a
merge Job that merges the shards' folders from the same volume."""
import sys

import yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
jobs = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Job"}
assert set(jobs) == {"salesim-shards", "salesim-merge"}, jobs.keys()
shards = jobs["salesim-shards"]["spec"]
assert shards["completionMode"] == "Indexed", shards
n = shards["completions"]
pod = shards["template"]["spec"]
command = " ".join(pod["containers"][0]["args"])
assert f"--shard $((JOB_COMPLETION_INDEX + 1))/{n}" in command, command
assert "--out /results/part-$JOB_COMPLETION_INDEX" in command, command
merge = jobs["salesim-merge"]["spec"]["template"]["spec"]
assert "salesim merge /results/part-*" in " ".join(merge["containers"][0]["args"])
claims = {v["persistentVolumeClaim"]["claimName"] for j in (pod, merge) for v in j["volumes"]}
assert claims == {"salesim-results"}, claims
print(f"deploy/k8s-job.yaml: an indexed Job of {n} shards and a merge Job on one volume: valid")
