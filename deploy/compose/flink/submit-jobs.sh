#!/bin/bash
# Submits Tarn's jobs to the session cluster, detached, skipping any already running (so a second
# `docker compose up` does not start duplicates). Each job's main runs here: a bad key in
# jobs.properties fails now, naming the key.
set -euo pipefail
flink=(/opt/flink/bin/flink)
cluster=(-m jobmanager:8081)
running="$("${flink[@]}" list -r "${cluster[@]}" 2>/dev/null || true)"
for job in bronze.BronzeJob silver.SilverJob gold.GoldJob maintenance.MaintenanceJob audit.AuditJob; do
  name="tarn-$(echo "${job%%.*}")"
  if grep -q ": $name (RUNNING)" <<<"$running"; then
    echo "$name is already running"
    continue
  fi
  echo "submitting $name"
  "${flink[@]}" run -d "${cluster[@]}" -c "io.tarn.jobs.$job" "$TARN_JOB_JAR" --config "$TARN_JOB_CONFIG"
done
