package io.river.engine.model;

/**
 * A read needed a segment file that River found damaged (a checksum that does not match, found by
 * the live scrub or by the read itself). River refuses to answer from it rather than give a wrong
 * answer; an operator restores the data directory from a backup (or the table from its source).
 */
public class SegmentDamagedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SegmentDamagedException(String message) {
        super(message);
    }
}
