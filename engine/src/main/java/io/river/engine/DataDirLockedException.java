package io.river.engine;

import java.io.IOException;

/** Another process (or engine in this process) holds the data directory's LOCK file. */
public class DataDirLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataDirLockedException(String message) {
        super(message);
    }
}
