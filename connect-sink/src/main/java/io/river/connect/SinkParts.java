package io.river.connect;

import io.river.engine.model.TableMode;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What both sink modes share, built once per task from its configuration: the task's context,
 * the table mode, the topic-to-table router, the record converter and the dead letter reporter.
 */
public record SinkParts(
        SinkTaskContext context, TableMode mode, TableRouter router, RecordConverter converter, ErrantRecords errant) {}
