#!/bin/bash
# Creates the domain topics the bronze and silver jobs subscribe to (idempotent).
set -euo pipefail
for table in customers orders order_items payments clickstream; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "shop.$table" --partitions "$TOPIC_PARTITIONS" --replication-factor 1 \
    --config compression.type=lz4
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --list
