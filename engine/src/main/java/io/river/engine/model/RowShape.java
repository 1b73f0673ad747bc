package io.river.engine.model;

import java.util.Arrays;

/**
 * The columns a batch's current (or else previous) row set, by the position it set them in. Rows
 * built one by one usually set the same columns in the same order, so a builder asks here for the
 * column at the next position before it hashes the name. Not thread-safe.
 *
 * @param <C> the builder's column
 */
public final class RowShape<C> {
    private String[] names = new String[16];
    private Object[] columns = new Object[16];

    /** The column set at {@code position} when it is named {@code name} (same reference or equal), else null. */
    @SuppressWarnings("unchecked")
    public C guess(int position, String name) {
        if (position >= names.length) {
            return null;
        }
        String known = names[position];
        return known != null && (known == name || known.equals(name)) ? (C) columns[position] : null;
    }

    /** Records that the row set {@code column}, named {@code name}, at {@code position}. */
    public void set(int position, String name, C column) {
        if (position >= names.length) {
            names = Arrays.copyOf(names, Math.max(position + 1, names.length * 2));
            columns = Arrays.copyOf(columns, names.length);
        }
        names[position] = name;
        columns[position] = column;
    }
}
