package io.river.connect;

/**
 * A record River cannot store as it is (a value that does not fit its column, a missing key in
 * upsert mode, malformed JSON, a null value with {@code river.behavior.on.null.values=fail}).
 * A record error: it goes to the dead letter queue or fails the task, never the engine. The
 * message is the reason, fit for a DLQ header.
 */
final class RecordException extends Exception {
    private static final long serialVersionUID = 1L;

    RecordException(String reason) {
        super(reason);
    }

    RecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
