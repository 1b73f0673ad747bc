package io.river.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.river.engine.RiverEngine;
import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Row;
import io.river.engine.model.SourcePartition;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableMode;
import io.river.engine.model.TableRetention;
import io.river.engine.query.EngineCatalog;
import io.river.engine.query.QueryEngine;
import io.river.engine.scan.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task's offset protocol and error handling on a real engine in a temporary directory. */
class RiverSinkTaskTest {
    private static final String TOPIC = "events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;

    private final List<RiverSinkTask> running = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        running.forEach(RiverSinkTask::stop);
        assertEquals(0, EngineRegistry.openEngines(), "the last task to stop closes the engine");
    }

    private Map<String, String> props(String... extra) {
        Map<String, String> props = new HashMap<>();
        props.put("river.data.dir", dir.toString());
        props.put("river.http.port", "-1");
        props.put("topics", TOPIC);
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private RiverSinkTask start(TestingSinkTaskContext context, Map<String, String> props, TopicPartition... owned) {
        RiverSinkTask task = new RiverSinkTask();
        task.initialize(context);
        task.start(props);
        running.add(task);
        context.assignment.addAll(List.of(owned));
        task.open(List.of(owned));
        return task;
    }

    private void stop(RiverSinkTask task) {
        task.stop();
        running.remove(task);
    }

    private static SinkRecord json(TopicPartition tp, long offset, String key, String value) {
        return new SinkRecord(
                tp.topic(),
                tp.partition(),
                Schema.OPTIONAL_STRING_SCHEMA,
                key,
                Schema.OPTIONAL_STRING_SCHEMA,
                value,
                offset);
    }

    private static Map<TopicPartition, OffsetAndMetadata> consumed(TopicPartition... tps) {
        Map<TopicPartition, OffsetAndMetadata> map = new HashMap<>();
        for (TopicPartition tp : tps) {
            map.put(tp, new OffsetAndMetadata(Long.MAX_VALUE));
        }
        return map;
    }

    private static Table table(RiverSinkTask task) {
        return engineOf(task).table(TOPIC).orElseThrow();
    }

    private static RiverEngine engineOf(RiverSinkTask task) {
        return task.engine();
    }

    @Test
    void tablesTheSinkCreatesGetTheConnectorRetentionAndExistingOnesKeepTheirs() throws IOException {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props("river.table.retention.ms", "86400000"), P0);
        engineOf(task).createTable("kept", TableMode.APPEND, new TableRetention(60_000L, null));
        task.put(List.of(json(P0, 0, "a", "{\"n\": 1}")));
        assertEquals(new TableRetention(86_400_000L, null), table(task).retentionSetting());
        assertEquals(86_400_000L, table(task).retentionMillis());
        assertEquals(1, count(engineOf(task)), "rows ingested now are within the retention");
        assertEquals(
                new TableRetention(60_000L, null),
                engineOf(task).table("kept").orElseThrow().retentionSetting());
    }

    private static long count(RiverEngine engine) {
        try (QueryEngine q = new QueryEngine(1)) {
            return ((Number) q.execute("SELECT count(*) FROM " + TOPIC, new EngineCatalog(engine))
                            .rows()
                            .get(0)[0])
                    .longValue();
        }
    }

    @Test
    void preCommitReportsOnlyDurableOffsetsOfOwnedPartitions() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props(), P0, P1);
        assertTrue(context.seeks.isEmpty(), "a new data directory has no positions to seek to");

        task.put(List.of(
                json(P0, 0, "a", "{\"n\": 1}"), json(P0, 1, "b", "{\"n\": 2}"), json(P1, 7, "c", "{\"n\": 3}")));
        Map<TopicPartition, OffsetAndMetadata> commit = task.preCommit(consumed(P0));

        assertEquals(Map.of(P0, new OffsetAndMetadata(2)), commit, "P1 is not in the worker's current offsets");
        assertEquals(
                Map.of(new SourcePartition(TOPIC, 0), 2L, new SourcePartition(TOPIC, 1), 8L),
                engineOf(task).durablePositions());
        Row row = table(task).get(SystemColumns.appendKey(0, 1)).orElseThrow();
        assertEquals(2L, row.get("n"));
        assertEquals("b", row.get(SystemColumns.KEY));
    }

    @Test
    void reopenSeeksToRiversPositionsAndDropsRedeliveredRecords() {
        TestingSinkTaskContext first = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(first, props(), P0);
        task.put(List.of(json(P0, 0, null, "{\"n\": 0}"), json(P0, 1, null, "{\"n\": 1}")));
        stop(task); // closes the engine: the next task recovers from disk

        TestingSinkTaskContext second = new TestingSinkTaskContext(false);
        RiverSinkTask again = start(second, props(), P0);
        assertEquals(Map.of(P0, 1L), second.seeks, "one record before River's position, so Kafka commits it");

        again.put(List.of(json(P0, 1, null, "{\"n\": 100}"), json(P0, 2, null, "{\"n\": 2}")));
        assertEquals(
                1L,
                table(again).get(SystemColumns.appendKey(0, 1)).orElseThrow().get("n"),
                "a redelivered offset is not written again");
        assertEquals(
                2L,
                table(again).get(SystemColumns.appendKey(0, 2)).orElseThrow().get("n"));
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), again.preCommit(consumed(P0)));
    }

    @Test
    void closedPartitionsAreForgottenAndRecoveredOnReopen() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props(), P0, P1);
        task.put(List.of(json(P1, 4, null, "{\"n\": 4}")));
        task.close(List.of(P1));
        assertEquals(Map.of(), task.preCommit(consumed(P1)), "a closed partition is not committed");

        context.seeks.clear();
        task.open(List.of(P1));
        assertEquals(Map.of(P1, 4L), context.seeks);
    }

    @Test
    void recordErrorWithoutToleranceFailsNamingTheRecordAndWritesNothing() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(true);
        RiverSinkTask task = start(context, props(), P0);
        task.put(List.of(json(P0, 0, null, "{\"n\": 1}")));

        ConnectException e = assertThrows(
                ConnectException.class,
                () -> task.put(List.of(json(P0, 1, null, "{\"n\": 2}"), json(P0, 2, null, "{\"n\": \"two\"}"))));

        assertTrue(e.getMessage().contains("topic events, partition 0, offset 2"), e.getMessage());
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        assertTrue(context.reported.isEmpty(), "errors.tolerance=none never reports");
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), task.preCommit(consumed(P0)));
        assertFalse(table(task).get(SystemColumns.appendKey(0, 1)).isPresent());
    }

    @Test
    void toleratedRecordErrorsGoToTheReporterAndTheirOffsetsCount() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(true);
        RiverSinkTask task = start(context, props("errors.tolerance", "all"), P0);

        task.put(List.of(
                json(P0, 0, null, "{\"n\": 1}"),
                json(P0, 1, null, "{\"n\": \"one\"}"),
                json(P0, 2, null, "{\"_offset\": 5}"),
                json(P0, 3, null, "{\"n\": 3, \"extra\": true}")));

        assertEquals(
                List.of(1L, 2L),
                context.reported.stream().map(SinkRecord::kafkaOffset).toList());
        assertTrue(
                context.reasons.get(0).getMessage().contains("'n'"),
                context.reasons.get(0).getMessage());
        assertTrue(
                context.reasons.get(1).getMessage().contains("_offset"),
                context.reasons.get(1).getMessage());
        assertEquals(Map.of(P0, new OffsetAndMetadata(4)), task.preCommit(consumed(P0)));
        assertEquals(
                true,
                table(task).get(SystemColumns.appendKey(0, 3)).orElseThrow().get("extra"));
        assertFalse(table(task).get(SystemColumns.appendKey(0, 1)).isPresent());
    }

    @Test
    void rowsTheEngineRefusesAreSetAsideAndTheRestOfThePutIsStored() throws IOException {
        TestingSinkTaskContext context = new TestingSinkTaskContext(true);
        RiverSinkTask task = start(context, props("errors.tolerance", "all"), P0);
        engineOf(task)
                .createTable(new TableDefinition(
                        TOPIC,
                        List.of(new Column("name", ColumnType.STRING)),
                        new TableConstraints(null, List.of("name"))));

        task.put(List.of(
                json(P0, 0, null, "{\"name\": \"a\", \"n\": 1}"),
                json(P0, 1, null, "{\"n\": 1.5}"),
                json(P0, 2, null, "{\"name\": \"c\", \"n\": 3}"),
                json(P0, 3, null, "{\"other\": true}")));

        assertEquals(
                List.of(1L, 3L),
                context.reported.stream().map(SinkRecord::kafkaOffset).toList());
        assertTrue(
                context.reasons.get(0).getMessage().contains("NOT NULL"),
                context.reasons.get(0).getMessage());
        assertEquals(Map.of(P0, new OffsetAndMetadata(4)), task.preCommit(consumed(P0)));
        assertEquals(
                "c",
                table(task).get(SystemColumns.appendKey(0, 2)).orElseThrow().get("name"));
        assertEquals(ColumnType.INT64, table(task).schema().column("n").type(), "the set-aside 1.5 widened nothing");
        assertEquals(null, table(task).schema().column("other"));
    }

    @Test
    void toleranceAllWithoutAReporterStillFails() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props("errors.tolerance", "all"), P0);
        ConnectException e =
                assertThrows(ConnectException.class, () -> task.put(List.of(json(P0, 0, null, "{\"_topic\": 1}"))));
        assertTrue(e.getMessage().contains("errors.deadletterqueue.topic.name"), e.getMessage());
    }

    @Test
    void declaredTableIsKeyedByItsPrimaryKeyAndTakesKafkaDatesAsDates() throws IOException {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props("river.table.mode", "upsert"), P0);
        engineOf(task)
                .createTable(new TableDefinition(
                        TOPIC,
                        List.of(new Column("id", ColumnType.INT64), new Column("day", ColumnType.DATE)),
                        new TableConstraints("id", List.of("id"))));
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("day", org.apache.kafka.connect.data.Date.SCHEMA)
                .build();
        task.put(List.of(new SinkRecord(
                TOPIC,
                0,
                Schema.STRING_SCHEMA,
                "record-key",
                schema,
                new Struct(schema).put("id", 5L).put("day", new Date(20_000L * 86_400_000L)),
                0)));

        Row row = table(task).get("5").orElseThrow();
        assertEquals(LocalDate.ofEpochDay(20_000), row.get("day"));
        assertEquals("5", row.get("_key"));
        assertFalse(table(task).get("record-key").isPresent());
    }

    @Test
    void upsertKeepsTheLastValueAndTombstonesDelete() {
        TestingSinkTaskContext context = new TestingSinkTaskContext(false);
        RiverSinkTask task = start(context, props("river.table.mode", "upsert"), P0);
        task.put(List.of(
                json(P0, 0, "u1", "{\"name\": \"ann\"}"),
                json(P0, 1, "u2", "{\"name\": \"bob\"}"),
                json(P0, 2, "u1", "{\"name\": \"anna\"}"),
                json(P0, 3, "u2", null)));

        assertEquals("anna", table(task).get("u1").orElseThrow().get("name"));
        assertFalse(table(task).get("u2").isPresent());
        assertEquals(Map.of(P0, new OffsetAndMetadata(4)), task.preCommit(consumed(P0)));
    }

    @Test
    void tasksShareOneEngineAndAModeClashFailsClearly() {
        RiverSinkTask a = start(new TestingSinkTaskContext(false), props(), P0);
        RiverSinkTask b = start(new TestingSinkTaskContext(false), props(), P1);
        assertEquals(1, EngineRegistry.openEngines());
        assertTrue(engineOf(a) == engineOf(b));
        a.put(List.of(json(P0, 0, null, "{\"n\": 1}")));

        RiverSinkTask upsert = start(
                new TestingSinkTaskContext(false), props("river.table.mode", "upsert"), new TopicPartition(TOPIC, 2));
        ConnectException e = assertThrows(
                ConnectException.class,
                () -> upsert.put(List.of(json(new TopicPartition(TOPIC, 2), 0, "k", "{\"n\": 1}"))));
        assertTrue(e.getMessage().contains("exists in append mode"), e.getMessage());

        stop(a);
        assertEquals(1, EngineRegistry.openEngines(), "still used by the other tasks");
    }
}
