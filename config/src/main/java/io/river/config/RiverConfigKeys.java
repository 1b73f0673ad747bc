package io.river.config;

import static io.river.config.ConfigKey.Importance.HIGH;
import static io.river.config.ConfigKey.Importance.LOW;
import static io.river.config.ConfigKey.Importance.MEDIUM;

import java.util.List;

/**
 * Every River configuration key, declared once. Keys are grouped by the part of River that reads
 * them; the connector accepts all of them, the server all but the connector group.
 */
public final class RiverConfigKeys {
    private RiverConfigKeys() {}

    public static final String GROUP_ENGINE = "engine";
    public static final String GROUP_LSM = "lsm";
    public static final String GROUP_HTTP = "http";
    public static final String GROUP_CONNECTOR = "connector";

    // ---- engine -------------------------------------------------------------------------------

    public static final ConfigKey<String> DATA_DIR = ConfigKey.requiredUnless(
            "river.data.dir",
            "river.server.url",
            ConfigType.STRING,
            Validators.nonEmpty(),
            HIGH,
            GROUP_ENGINE,
            "Directory holding the WAL, checkpoints, segments and manifest. One process at a time (LOCK file). "
                    + "The connector needs it only in embedded mode (no river.server.url).");

    public static final ConfigKey<String> WAL_SYNC = ConfigKey.of(
            "river.wal.sync",
            ConfigType.STRING,
            "batch",
            Validators.oneOf("batch", "always", "interval"),
            HIGH,
            GROUP_ENGINE,
            "When a write is fsynced before it is acknowledged: 'batch' groups concurrent writes into one fsync "
                    + "(group commit), 'always' fsyncs every write on its own, 'interval' acknowledges at once and "
                    + "fsyncs every river.wal.sync.interval.ms (a crash may lose that window).");

    public static final ConfigKey<Long> WAL_SYNC_INTERVAL_MS = ConfigKey.of(
            "river.wal.sync.interval.ms",
            ConfigType.LONG,
            100L,
            Validators.range(1, 60_000),
            LOW,
            GROUP_ENGINE,
            "Time between fsyncs of the WAL when river.wal.sync=interval.");

    public static final ConfigKey<Long> WAL_FILE_MAX_BYTES = ConfigKey.of(
            "river.wal.file.max.bytes",
            ConfigType.LONG,
            64L << 20,
            Validators.range(1L << 16, null),
            LOW,
            GROUP_ENGINE,
            "Size at which the WAL rolls over to a new file. Old files are deleted once their data is in segments.");

    public static final ConfigKey<Long> MEMTABLE_MAX_BYTES = ConfigKey.of(
            "river.memtable.max.bytes",
            ConfigType.LONG,
            64L << 20,
            Validators.range(1L << 16, null),
            HIGH,
            GROUP_ENGINE,
            "Size of a table's memtable at which it becomes immutable and is flushed to an L0 segment.");

    public static final ConfigKey<Long> CHECKPOINT_INTERVAL_MS = ConfigKey.of(
            "river.checkpoint.interval.ms",
            ConfigType.LONG,
            60_000L,
            Validators.range(0, null),
            MEDIUM,
            GROUP_ENGINE,
            "Time between checkpoints (snapshots of the memtables that bound WAL replay at start-up); 0 disables "
                    + "them.");

    public static final ConfigKey<Long> FLUSH_INTERVAL_MS = ConfigKey.of(
            "river.flush.interval.ms",
            ConfigType.LONG,
            30_000L,
            Validators.range(0, null),
            MEDIUM,
            GROUP_ENGINE,
            "Longest time data stays only in a memtable: after it, the memtable is flushed to a segment even if it "
                    + "is not full, so a quiet topic still reaches disk. 0 flushes only on size.");

    public static final ConfigKey<Integer> SEGMENT_BLOCK_ROWS = ConfigKey.of(
            "river.segment.block.rows",
            ConfigType.INT,
            8192,
            Validators.range(16, 1 << 20),
            LOW,
            GROUP_ENGINE,
            "Rows per block (Arrow record batch) in a segment file: the unit of caching and of zone-map skipping.");

    public static final ConfigKey<Integer> SEGMENT_DICTIONARY_MAX_ENTRIES = ConfigKey.of(
            "river.segment.dictionary.max.entries",
            ConfigType.INT,
            65536,
            Validators.range(0, 1 << 20),
            LOW,
            GROUP_ENGINE,
            "A string column with at most this many distinct values in a segment (and at most half as many as the "
                    + "segment has rows) is stored dictionary-encoded, so scans, filters and GROUP BY work on integer "
                    + "codes; "
                    + "0 stores every string column plain.");

    public static final ConfigKey<String> SEGMENT_CODEC = ConfigKey.of(
            "river.segment.codec",
            ConfigType.STRING,
            "zstd",
            Validators.oneOf("lz4", "zstd"),
            LOW,
            GROUP_ENGINE,
            "Compression of segment blocks: 'zstd' (smaller files) or 'lz4' (faster to decode; files about 1.5x "
                    + "larger). Each file records its codec: a change applies to files written from then on, and older "
                    + "files stay readable.");

    public static final ConfigKey<String> SEGMENT_ENCODING = ConfigKey.of(
            "river.segment.encoding",
            ConfigType.STRING,
            "auto",
            Validators.oneOf("auto", "none"),
            LOW,
            GROUP_ENGINE,
            "Light-weight encoding of numeric segment columns: 'auto' stores each INT32, INT64, TIMESTAMP and DATE "
                    + "column as the narrowest integer (8, 16 or 32 bits) that holds its range in the segment, and a "
                    + "FLOAT64 column of short decimals (up to 6 digits after the point) as scaled integers, so "
                    + "blocks are smaller and faster to decompress; 'none' stores them plain. Files of either kind "
                    + "stay readable.");

    public static final ConfigKey<Integer> SEGMENT_CODEC_COLD_LEVEL = ConfigKey.of(
            "river.segment.codec.cold.level",
            ConfigType.INT,
            0,
            Validators.range(0, 64),
            LOW,
            GROUP_ENGINE,
            "LSM level from which segments are written with ZSTD whatever river.segment.codec says (with "
                    + "river.segment.codec=lz4: hot levels fast, cold data small); 0: no level switches codec.");

    public static final ConfigKey<Long> SCRUB_INTERVAL_MS = ConfigKey.of(
            "river.scrub.interval.ms",
            ConfigType.LONG,
            3_600_000L,
            Validators.range(0, null),
            LOW,
            GROUP_ENGINE,
            "Time between the starts of two passes of the live scrub, which re-reads every segment block and checks "
                    + "its CRC32C while River serves; a damaged segment is marked so reads of it fail with a clear "
                    + "error. 0 turns the scrub off.");

    public static final ConfigKey<Long> SCRUB_BYTES_PER_SECOND = ConfigKey.of(
            "river.scrub.bytes.per.second",
            ConfigType.LONG,
            16L << 20,
            Validators.range(1, null),
            LOW,
            GROUP_ENGINE,
            "Rate at which the live scrub reads segment files (it sleeps between files to keep to it).");

    public static final ConfigKey<Long> RETENTION_MS = ConfigKey.of(
            "river.retention.ms",
            ConfigType.LONG,
            0L,
            Validators.range(0, null),
            MEDIUM,
            GROUP_ENGINE,
            "How long rows are kept, by ingestion time (_ingested_at) or by a table's declared retention column: "
                    + "older rows stop being returned at once and leave the disk soon after (whole segments by "
                    + "their zone maps, the rest at compaction). A table's own setting (CREATE TABLE ... WITH "
                    + "(retention = '7 days'), ALTER TABLE ... SET) overrides it. 0 keeps rows forever.");

    public static final ConfigKey<Long> RETENTION_CHECK_INTERVAL_MS = ConfigKey.of(
            "river.retention.check.interval.ms",
            ConfigType.LONG,
            60_000L,
            Validators.range(0, null),
            LOW,
            GROUP_ENGINE,
            "Time between two passes of the retention task, which drops whole segments whose rows are all "
                    + "older than the retention and records the cutoff in the manifest. Expired rows are hidden "
                    + "from reads at once either way. 0 turns the background pass off.");

    // ---- LSM ----------------------------------------------------------------------------------

    public static final ConfigKey<String> COMPACTION_STYLE = ConfigKey.of(
            "river.compaction.style",
            ConfigType.STRING,
            "leveled",
            Validators.oneOf("leveled", "size-tiered"),
            MEDIUM,
            GROUP_LSM,
            "Compaction style: 'leveled' (bounded space and reads) or 'size-tiered' (lower write amplification).");

    public static final ConfigKey<Integer> COMPACTION_THREADS = ConfigKey.of(
            "river.compaction.threads",
            ConfigType.INT,
            1,
            Validators.range(1, 64),
            LOW,
            GROUP_LSM,
            "Background threads running compactions.");

    public static final ConfigKey<Integer> L0_COMPACTION_TRIGGER = ConfigKey.of(
            "river.l0.compaction.trigger",
            ConfigType.INT,
            4,
            Validators.range(1, 1000),
            LOW,
            GROUP_LSM,
            "Number of L0 segments that triggers a compaction into L1.");

    public static final ConfigKey<Integer> L0_SLOWDOWN_FILES = ConfigKey.of(
            "river.l0.slowdown.files",
            ConfigType.INT,
            12,
            Validators.range(1, 1000),
            LOW,
            GROUP_LSM,
            "Number of L0 segments at which writes are slowed down (back-pressure).");

    public static final ConfigKey<Integer> L0_STOP_FILES = ConfigKey.of(
            "river.l0.stop.files",
            ConfigType.INT,
            24,
            Validators.range(1, 1000),
            LOW,
            GROUP_LSM,
            "Number of L0 segments at which writes wait for compaction (back-pressure).");

    public static final ConfigKey<Long> LEVEL_BASE_BYTES = ConfigKey.of(
            "river.level.base.bytes",
            ConfigType.LONG,
            64L << 20,
            Validators.range(1L << 16, null),
            LOW,
            GROUP_LSM,
            "Target size of L1; each deeper level is river.level.size.ratio times larger.");

    public static final ConfigKey<Integer> LEVEL_SIZE_RATIO = ConfigKey.of(
            "river.level.size.ratio",
            ConfigType.INT,
            10,
            Validators.range(2, 100),
            LOW,
            GROUP_LSM,
            "Size ratio between adjacent levels L1..L6.");

    public static final ConfigKey<Long> SEGMENT_TARGET_BYTES = ConfigKey.of(
            "river.segment.target.bytes",
            ConfigType.LONG,
            64L << 20,
            Validators.range(1L << 16, null),
            LOW,
            GROUP_LSM,
            "Size at which a compaction output segment is closed and a new one started.");

    public static final ConfigKey<Long> CACHE_MAX_BYTES = ConfigKey.of(
            "river.cache.max.bytes",
            ConfigType.LONG,
            256L << 20,
            Validators.range(0, null),
            MEDIUM,
            GROUP_LSM,
            "Capacity of the block cache (decoded segment blocks, LRU); 0 disables it.");

    public static final ConfigKey<Double> BLOOM_FPP = ConfigKey.of(
            "river.bloom.fpp",
            ConfigType.DOUBLE,
            0.01,
            Validators.range(0.0001, 0.5),
            LOW,
            GROUP_LSM,
            "False-positive rate of each segment's bloom filter on keys.");

    // ---- HTTP ---------------------------------------------------------------------------------

    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.of(
            "river.http.port",
            ConfigType.INT,
            8080,
            Validators.range(-1, 65535),
            HIGH,
            GROUP_HTTP,
            "Port of the REST API and console; 0 picks a free port, -1 disables HTTP.");

    public static final ConfigKey<String> HTTP_HOST = ConfigKey.of(
            "river.http.host",
            ConfigType.STRING,
            "0.0.0.0",
            Validators.nonEmpty(),
            LOW,
            GROUP_HTTP,
            "Address the REST API binds to.");

    public static final ConfigKey<String> HTTP_AUTH_TOKEN = ConfigKey.of(
            "river.http.auth.token",
            ConfigType.PASSWORD,
            "",
            Validators.any(),
            MEDIUM,
            GROUP_HTTP,
            "When set, every route but /health* needs 'Authorization: Bearer <token>'.");

    public static final ConfigKey<Long> HTTP_MAX_BODY_BYTES = ConfigKey.of(
            "river.http.max.body.bytes",
            ConfigType.LONG,
            16L << 20,
            Validators.range(1, 1L << 30),
            LOW,
            GROUP_HTTP,
            "Largest request body accepted; larger bodies get 413.");

    public static final ConfigKey<Integer> HTTP_MAX_KEY_BYTES = ConfigKey.of(
            "river.http.max.key.bytes",
            ConfigType.INT,
            1024,
            Validators.range(1, 1 << 20),
            LOW,
            GROUP_HTTP,
            "Largest key (UTF-8 bytes) accepted by /put, /get and /delete; larger keys get 400.");

    public static final ConfigKey<Long> HTTP_QUERY_TIMEOUT_MS = ConfigKey.of(
            "river.http.query.timeout.ms",
            ConfigType.LONG,
            30_000L,
            Validators.range(1, null),
            LOW,
            GROUP_HTTP,
            "Longest time a /query may run before it is cancelled.");

    public static final ConfigKey<String> HTTP_TLS_KEYSTORE_PATH = ConfigKey.of(
            "river.http.tls.keystore.path",
            ConfigType.STRING,
            "",
            Validators.any(),
            MEDIUM,
            GROUP_HTTP,
            "Keystore (PKCS12 or JKS) holding the server's key and certificate; when set, the REST API (and "
                    + "ingest) is served over HTTPS only.");

    public static final ConfigKey<String> HTTP_TLS_KEYSTORE_PASSWORD = ConfigKey.of(
            "river.http.tls.keystore.password",
            ConfigType.PASSWORD,
            "",
            Validators.any(),
            MEDIUM,
            GROUP_HTTP,
            "Password of the keystore (and of the key in it).");

    public static final ConfigKey<String> HTTP_TLS_KEYSTORE_TYPE = ConfigKey.of(
            "river.http.tls.keystore.type",
            ConfigType.STRING,
            "PKCS12",
            Validators.oneOf("PKCS12", "JKS"),
            LOW,
            GROUP_HTTP,
            "Format of the keystore file.");

    public static final ConfigKey<Integer> FLIGHT_PORT = ConfigKey.of(
            "river.flight.port",
            ConfigType.INT,
            -1,
            Validators.range(-1, 65535),
            MEDIUM,
            GROUP_HTTP,
            "Port of the Arrow Flight SQL endpoint of river serve (JDBC/ADBC/BI tools; same SQL, token and "
                    + "TLS as the REST API, binds river.http.host); 0 picks a free port, -1 (the default) turns it "
                    + "off.");

    public static final ConfigKey<Long> INGEST_MAX_BODY_BYTES = ConfigKey.of(
            "river.ingest.max.body.bytes",
            ConfigType.LONG,
            256L << 20,
            Validators.range(1, 1L << 34),
            MEDIUM,
            GROUP_HTTP,
            "Largest body accepted by POST /ingest (one atomic write); larger bodies get 413.");

    public static final ConfigKey<Long> INGEST_MAX_ROWS = ConfigKey.of(
            "river.ingest.max.rows",
            ConfigType.LONG,
            1_000_000L,
            Validators.range(1, 1L << 31),
            MEDIUM,
            GROUP_HTTP,
            "Most rows accepted in one POST /ingest (one atomic write); more get 413.");

    // ---- connector ----------------------------------------------------------------------------

    public static final ConfigKey<String> TABLE_NAME_FORMAT = ConfigKey.of(
            "river.table.name.format",
            ConfigType.STRING,
            "${topic}",
            Validators.nonEmpty(),
            MEDIUM,
            GROUP_CONNECTOR,
            "Table a topic's records go to; ${topic} is replaced by the topic name with characters other than "
                    + "[A-Za-z0-9_] mapped to '_'.");

    public static final ConfigKey<String> TABLE_MODE = ConfigKey.of(
            "river.table.mode",
            ConfigType.STRING,
            "append",
            Validators.oneOf("append", "upsert"),
            HIGH,
            GROUP_CONNECTOR,
            "'append': every record is a row keyed by partition/offset; 'upsert': the record key is the primary "
                    + "key, last write wins, a tombstone deletes.");

    public static final ConfigKey<Long> TABLE_RETENTION_MS = ConfigKey.of(
            "river.table.retention.ms",
            ConfigType.LONG,
            0L,
            Validators.range(0, null),
            MEDIUM,
            GROUP_CONNECTOR,
            "Retention the sink gives the tables it creates (the table's own setting, as ALTER TABLE ... SET "
                    + "(retention = ...) would; in server mode sent with the request that creates the table). A "
                    + "table that exists already keeps its setting. 0: the tables get none, so the engine's "
                    + "river.retention.ms applies.");

    public static final ConfigKey<String> TOPIC_TABLE_MAP = ConfigKey.of(
            "river.topic.table.map",
            ConfigType.STRING,
            "",
            Validators.matches(
                    "^$|^\\s*[^:,\\s]+\\s*:\\s*[A-Za-z_][A-Za-z0-9_]{0,127}\\s*(,\\s*[^:,\\s]+\\s*:\\s*"
                            + "[A-Za-z_][A-Za-z0-9_]{0,127}\\s*)*$",
                    "a list topicA:tableX,topicB:tableY of valid table names"),
            MEDIUM,
            GROUP_CONNECTOR,
            "Explicit topic to table mapping; overrides river.table.name.format.");

    public static final ConfigKey<String> BEHAVIOR_ON_NULL_VALUES = ConfigKey.of(
            "river.behavior.on.null.values",
            ConfigType.STRING,
            "delete",
            Validators.oneOf("delete", "ignore", "fail"),
            MEDIUM,
            GROUP_CONNECTOR,
            "What a record with a null value does: 'delete' the key (upsert mode; ignored in append mode), "
                    + "'ignore' it, or 'fail' as a record error.");

    public static final ConfigKey<String> SERVER_URL = ConfigKey.of(
            "river.server.url",
            ConfigType.STRING,
            "",
            Validators.matches(
                    "^$|^\\s*https?://[^,\\s]+\\s*(,\\s*https?://[^,\\s]+\\s*)*$",
                    "empty, or a comma-separated list of http:// or https:// URLs"),
            HIGH,
            GROUP_CONNECTOR,
            "Server mode: the River server(s) the connector writes to (river serve; several URLs are tried in "
                    + "turn). Tasks then open no engine, and positions and fencing live on the server. Empty: "
                    + "embedded mode (an engine on river.data.dir in each worker).");

    public static final ConfigKey<String> SERVER_AUTH_TOKEN = ConfigKey.of(
            "river.server.auth.token",
            ConfigType.PASSWORD,
            "",
            Validators.any(),
            MEDIUM,
            GROUP_CONNECTOR,
            "Server mode: bearer token sent to the River server (its river.http.auth.token).");

    public static final ConfigKey<Long> SERVER_TIMEOUT_MS = ConfigKey.of(
            "river.server.timeout.ms",
            ConfigType.LONG,
            30_000L,
            Validators.range(100, 3_600_000),
            MEDIUM,
            GROUP_CONNECTOR,
            "Server mode: longest wait for one request to the River server; past it the put() is retried later "
                    + "(the task stays RUNNING).");

    public static final ConfigKey<String> SERVER_TRUSTSTORE_PATH = ConfigKey.of(
            "river.server.truststore.path",
            ConfigType.STRING,
            "",
            Validators.any(),
            MEDIUM,
            GROUP_CONNECTOR,
            "Server mode over https: truststore (PKCS12 or JKS) holding the certificate(s) to trust; empty uses "
                    + "the JVM's default trust.");

    public static final ConfigKey<String> SERVER_TRUSTSTORE_PASSWORD = ConfigKey.of(
            "river.server.truststore.password",
            ConfigType.PASSWORD,
            "",
            Validators.any(),
            LOW,
            GROUP_CONNECTOR,
            "Password of river.server.truststore.path.");

    public static final ConfigKey<String> SERVER_TRUSTSTORE_TYPE = ConfigKey.of(
            "river.server.truststore.type",
            ConfigType.STRING,
            "PKCS12",
            Validators.oneOf("PKCS12", "JKS"),
            LOW,
            GROUP_CONNECTOR,
            "Format of river.server.truststore.path.");

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(
            DATA_DIR,
            WAL_SYNC,
            WAL_SYNC_INTERVAL_MS,
            WAL_FILE_MAX_BYTES,
            MEMTABLE_MAX_BYTES,
            CHECKPOINT_INTERVAL_MS,
            FLUSH_INTERVAL_MS,
            SEGMENT_BLOCK_ROWS,
            SEGMENT_DICTIONARY_MAX_ENTRIES,
            SEGMENT_CODEC,
            SEGMENT_ENCODING,
            SEGMENT_CODEC_COLD_LEVEL,
            SCRUB_INTERVAL_MS,
            SCRUB_BYTES_PER_SECOND,
            RETENTION_MS,
            RETENTION_CHECK_INTERVAL_MS,
            COMPACTION_STYLE,
            COMPACTION_THREADS,
            L0_COMPACTION_TRIGGER,
            L0_SLOWDOWN_FILES,
            L0_STOP_FILES,
            LEVEL_BASE_BYTES,
            LEVEL_SIZE_RATIO,
            SEGMENT_TARGET_BYTES,
            CACHE_MAX_BYTES,
            BLOOM_FPP,
            HTTP_PORT,
            HTTP_HOST,
            HTTP_AUTH_TOKEN,
            HTTP_MAX_BODY_BYTES,
            HTTP_MAX_KEY_BYTES,
            HTTP_QUERY_TIMEOUT_MS,
            HTTP_TLS_KEYSTORE_PATH,
            HTTP_TLS_KEYSTORE_PASSWORD,
            HTTP_TLS_KEYSTORE_TYPE,
            FLIGHT_PORT,
            INGEST_MAX_BODY_BYTES,
            INGEST_MAX_ROWS,
            TABLE_NAME_FORMAT,
            TABLE_MODE,
            TABLE_RETENTION_MS,
            TOPIC_TABLE_MAP,
            BEHAVIOR_ON_NULL_VALUES,
            SERVER_URL,
            SERVER_AUTH_TOKEN,
            SERVER_TIMEOUT_MS,
            SERVER_TRUSTSTORE_PATH,
            SERVER_TRUSTSTORE_PASSWORD,
            SERVER_TRUSTSTORE_TYPE);

    /** The key with this name, or null. */
    public static ConfigKey<?> byName(String name) {
        for (ConfigKey<?> key : ALL) {
            if (key.name().equals(name)) {
                return key;
            }
        }
        return null;
    }
}
