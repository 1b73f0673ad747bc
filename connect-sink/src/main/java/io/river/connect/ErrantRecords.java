package io.river.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a record River cannot store goes. With Kafka's {@code errors.tolerance=all} and an
 * {@link ErrantRecordReporter} (the worker gives one when {@code errors.deadletterqueue.topic.name}
 * or {@code errors.log.enable} is set) the record is reported with its reason (the exception
 * message, which the DLQ carries in its {@code __connect.errors.exception.message} header) and
 * the task goes on. Otherwise the task fails with a {@link ConnectException} that names topic,
 * partition, offset and reason; the failing batch is not written, so nothing moves past the
 * record.
 *
 * <p>Reports are asynchronous; {@link #awaitReports()} waits until the worker has taken every
 * one, and the task calls it before it writes the offsets of reported records into River, so a
 * crash never loses a record from both River and the DLQ. Not thread-safe (one per task).
 */
final class ErrantRecords {
    private static final Logger log = LoggerFactory.getLogger(ErrantRecords.class);

    private final ErrantRecordReporter reporter;
    private final boolean tolerateAll;
    private final List<Future<Void>> pending = new ArrayList<>();

    ErrantRecords(SinkTaskContext context, Map<String, String> taskProps) {
        this.tolerateAll = "all"
                .equals(taskProps
                        .getOrDefault("errors.tolerance", "none")
                        .trim()
                        .toLowerCase(Locale.ROOT));
        this.reporter = reporterOf(context);
    }

    private static ErrantRecordReporter reporterOf(SinkTaskContext context) {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6 has no reporter
        }
    }

    /** Reports a record that cannot be stored, or throws when errors are not tolerated. */
    void report(SinkRecord record, Throwable error) {
        String where =
                record.originalTopic() + "-" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
        if (!tolerateAll || reporter == null) {
            throw new ConnectException(
                    "River cannot store the record at topic " + record.originalTopic()
                            + ", partition " + record.originalKafkaPartition() + ", offset "
                            + record.originalKafkaOffset()
                            + ": " + error.getMessage()
                            + (tolerateAll
                                    ? "; errors.tolerance=all needs errors.deadletterqueue.topic.name or "
                                            + "errors.log.enable=true to set records aside"
                                    : ""),
                    error);
        }
        log.debug("Reporting record {} as errant: {}", where, error.getMessage());
        pending.add(reporter.report(record, error));
    }

    /** Waits until the worker has taken every reported record. */
    void awaitReports() {
        try {
            for (Future<Void> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting errant records", e);
        } catch (ExecutionException e) {
            throw new ConnectException(
                    "Reporting an errant record failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.clear();
        }
    }
}
