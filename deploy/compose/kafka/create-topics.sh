#!/bin/bash
# Creates the topics Tarn's jobs read (idempotent): the domain topics the bronze and silver jobs
# subscribe to, and the audit topics of the audit job.
set -euo pipefail
topics=(/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP")
for table in customers orders order_items payments clickstream; do
  "${topics[@]}" --create --if-not-exists \
    --topic "shop.$table" --partitions "$TOPIC_PARTITIONS" --replication-factor 1 \
    --config compression.type=lz4
done
# tarn.audit: the platform's audit events; tarn.audit.trino: Trino's completed queries. One
# partition each: the audit job chains them in one order. Kept 30 days, the audit job's window for
# dropping a replayed event id.
for topic in tarn.audit tarn.audit.trino; do
  "${topics[@]}" --create --if-not-exists \
    --topic "$topic" --partitions 1 --replication-factor 1 \
    --config retention.ms=2592000000
done
"${topics[@]}" --list
