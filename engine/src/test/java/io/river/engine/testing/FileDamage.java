package io.river.engine.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Random;

/**
 * One seeded piece of damage to a file: flipping a few bits, truncating it, or zeroing a run of
 * bytes. {@link #firstOffset()} is the first byte the damage changes, so a test can tell which
 * checksummed records still lie wholly before it. Immutable; {@link #apply} writes the file.
 */
public record FileDamage(Kind kind, long[] offsets, int[] bits, long length) {
    public enum Kind {
        BIT_FLIP,
        TRUNCATE,
        ZERO_RUN
    }

    /** A random damage for a file of {@code size} bytes. */
    public static FileDamage random(Random rnd, long size) {
        Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
        switch (kind) {
            case TRUNCATE:
                return new FileDamage(kind, new long[] {(long) (rnd.nextDouble() * size)}, new int[0], 0);
            case ZERO_RUN:
                long at = (long) (rnd.nextDouble() * size);
                return new FileDamage(kind, new long[] {at}, new int[0], Math.min(size - at, 1 + rnd.nextInt(64)));
            default:
                int n = 1 + rnd.nextInt(3);
                long[] offs = new long[n];
                int[] bits = new int[n];
                for (int i = 0; i < n; i++) {
                    offs[i] = (long) (rnd.nextDouble() * size);
                    bits[i] = rnd.nextInt(8);
                }
                return new FileDamage(kind, offs, bits, 0);
        }
    }

    /** The smallest offset the damage touches (for TRUNCATE: the new length). */
    public long firstOffset() {
        long min = Long.MAX_VALUE;
        for (long o : offsets) {
            min = Math.min(min, o);
        }
        return min;
    }

    /** Damages the file in place; returns true if any byte changed. */
    public boolean apply(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            switch (kind) {
                case TRUNCATE:
                    if (offsets[0] >= raf.length()) {
                        return false;
                    }
                    raf.setLength(offsets[0]);
                    return true;
                case ZERO_RUN:
                    boolean changed = false;
                    for (long p = offsets[0]; p < offsets[0] + length && p < raf.length(); p++) {
                        raf.seek(p);
                        int b = raf.read();
                        if (b != 0) {
                            raf.seek(p);
                            raf.write(0);
                            changed = true;
                        }
                    }
                    return changed;
                default:
                    for (int i = 0; i < offsets.length; i++) {
                        raf.seek(offsets[i]);
                        int b = raf.read();
                        raf.seek(offsets[i]);
                        raf.write(b ^ (1 << bits[i]));
                    }
                    return true;
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name());
        switch (kind) {
            case TRUNCATE -> sb.append(" to ").append(offsets[0]).append(" bytes");
            case ZERO_RUN -> sb.append(' ').append(length).append(" bytes at ").append(offsets[0]);
            default -> {
                for (int i = 0; i < offsets.length; i++) {
                    sb.append(i == 0 ? " " : ", ")
                            .append("bit ")
                            .append(bits[i])
                            .append(" of byte ")
                            .append(offsets[i]);
                }
            }
        }
        return sb.toString();
    }
}
