package io.river.engine.model;

/** Thrown by operations on an engine that has been closed or has failed and gone read-only. */
public class EngineClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public EngineClosedException(String message) {
        super(message);
    }
}
