package io.river.http.ingest;

/** Client text as it appears in error messages: quoted and cut short. Stateless. */
final class Texts {
    /** Longest piece of client text repeated in a message. */
    static final int MAX_SHOWN = 64;

    private Texts() {}

    /** {@code text} in single quotes, cut to {@link #MAX_SHOWN} characters with "..." when longer. */
    static String quote(String text) {
        return "'" + clip(text) + "'";
    }

    /** {@code text} cut to {@link #MAX_SHOWN} characters with "..." when longer. */
    static String clip(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
