package io.river.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated, ClickBench-shaped {@code hits} table: the 25 columns ClickBench's 43 queries read, with
 * the types of ClickBench's {@code create.sql}, {@code rows} rows, the same for the same
 * {@code (rows, seed)}. Skewed like web logs: users, URLs, titles, search phrases, regions, phone models
 * and counters follow Zipf-like (log-uniform rank) laws; most search phrases and phone models are
 * empty strings, as in the real data; counter 62 is the hot one; dates lie in July 2013 and each
 * event time inside its date. The constants of the queries that look up one value (user
 * 435090932899640449, referer hash 3594120000172545465, URL hash 2868770270353813622, traffic sources
 * -1 and 6) occur in enough rows that every query answers something at 100,000 rows and more; at
 * 200,000 rows and more counter 62 and the {@code yandex.ru} referers pass the {@code HAVING count(*) >
 * 100000} of queries 28 and 29.
 *
 * <p>Rows are kept column-wise in compact arrays (strings as pool indexes), so 10M rows fit in about a
 * gigabyte; {@link #value} gives one cell as the Java type River's row API takes (Long, Integer,
 * String, Instant, LocalDate). Immutable after construction, thread-safe.
 */
public final class ClickBenchData {
    /** The table name the queries use. */
    public static final String TABLE = "hits";

    /** The columns, in ClickBench's order. */
    public static final List<String> COLUMNS = List.of(
            "WatchID",
            "Title",
            "EventTime",
            "EventDate",
            "CounterID",
            "ClientIP",
            "RegionID",
            "UserID",
            "URL",
            "Referer",
            "IsRefresh",
            "ResolutionWidth",
            "MobilePhone",
            "MobilePhoneModel",
            "TraficSourceID",
            "SearchEngineID",
            "SearchPhrase",
            "AdvEngineID",
            "WindowClientWidth",
            "WindowClientHeight",
            "IsLink",
            "IsDownload",
            "DontCountHits",
            "RefererHash",
            "URLHash");

    /** The SQL types of {@link #COLUMNS}, as ClickBench's create.sql declares them. */
    public static final List<String> TYPES = List.of(
            "BIGINT NOT NULL",
            "TEXT",
            "TIMESTAMP NOT NULL",
            "DATE NOT NULL",
            "INTEGER NOT NULL",
            "INTEGER NOT NULL",
            "INTEGER NOT NULL",
            "BIGINT NOT NULL",
            "TEXT",
            "TEXT",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "TEXT",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "TEXT",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "SMALLINT NOT NULL",
            "BIGINT NOT NULL",
            "BIGINT NOT NULL");

    /** The user of query 20. */
    public static final long HOT_USER = 435090932899640449L;
    /** The referer hash of query 41. */
    public static final long HOT_REFERER_HASH = 3594120000172545465L;
    /** The URL hash of query 42. */
    public static final long HOT_URL_HASH = 2868770270353813622L;
    /** The counter of queries 37 to 43. */
    public static final int HOT_COUNTER = 62;

    private static final LocalDate JULY_1 = LocalDate.of(2013, 7, 1);
    private static final long JULY_1_SECONDS = JULY_1.toEpochDay() * 86_400L;
    private static final int[] RESOLUTIONS = {
        1920, 1366, 1280, 1440, 1600, 1024, 1680, 360, 375, 414, 768, 2560, 1536, 1093, 0
    };
    private static final String[] WORDS = {
        "weather",
        "news",
        "cars",
        "games",
        "music",
        "video",
        "photo",
        "maps",
        "recipes",
        "football",
        "hotels",
        "flights",
        "tickets",
        "jobs",
        "rent",
        "bank",
        "loans",
        "phones",
        "laptops",
        "shoes",
        "dress",
        "films",
        "series",
        "download",
        "free",
        "online",
        "moscow",
        "kazan",
        "sochi",
        "review",
        "price",
        "buy",
        "sale",
        "погода",
        "новости",
        "купить",
        "квартира",
        "работа",
        "фильмы",
        "онлайн",
        "скачать",
        "бесплатно",
        "москва",
        "google",
        "яндекс",
        "карты",
        "авто",
        "отзывы",
        "цена",
        "игры"
    };
    private static final String[] NAMED_HOSTS = {
        "yandex.ru",
        "www.google.ru",
        "maps.google.com",
        "mail.ru",
        "vk.com",
        "www.avito.ru",
        "news.yandex.ru",
        "auto.ru",
        "www.kinopoisk.ru",
        "www.youtube.com",
        "docs.google.com",
        "market.yandex.ru",
        "ok.ru",
        "www.drive2.ru",
        "lenta.ru",
        "www.rbc.ru",
        "googleads.g.doubleclick.net",
        "www.wildberries.ru"
    };
    private static final String[] MODELS = {
        "iPhone", "iPad", "GT-I9300", "GT-I9500", "SM-G900F", "Nexus 5", "HTC One", "Lumia 920", "GT-N7100",
        "Xperia Z", "GT-S7562", "LG-D802", "Moto G", "Redmi", "Galaxy Tab", "iPod", "MI 2", "ZTE Blade"
    };
    /** TraficSourceID values and their weights (percent). */
    private static final int[][] TRAFFIC = {{-1, 5}, {0, 30}, {1, 20}, {2, 24}, {3, 8}, {4, 4}, {5, 3}, {6, 6}};

    private final int rows;
    private final String[] urls;
    private final long[] urlHashes;
    private final String[] titles;
    private final String[] referers;
    private final long[] refererHashes;
    private final String[] phrases;
    private final long[] users;
    private final int[] userIp;
    private final int[] userRegion;
    private final short[] userResolution;
    private final short[] userPhone;
    private final byte[] userModel;

    private final long[] watchId;
    private final int[] eventSeconds; // seconds since 2013-07-01 00:00 UTC
    private final int[] counter;
    private final int[] clientIp;
    private final int[] user; // index into users
    private final int[] url; // index into urls, -1: empty
    private final int[] title; // index into titles, -1: empty
    private final int[] referer; // index into referers, -1: empty
    private final int[] phrase; // index into phrases, -1: empty
    private final byte[] flags; // IsRefresh 1, IsLink 2, IsDownload 4, DontCountHits 8
    private final byte[] traffic;
    private final byte[] searchEngine;
    private final byte[] advEngine;
    private final short[] windowWidth;
    private final short[] windowHeight;

    /** Generates {@code rows} rows from {@code seed}. */
    public ClickBenchData(int rows, long seed) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        this.rows = rows;
        SplittableRandom pools = new SplittableRandom(seed);
        urls = new String[Math.max(2_000, rows / 6)];
        urlHashes = new long[urls.length];
        titles = new String[urls.length];
        fillUrls(pools);
        referers = new String[Math.max(2_000, rows / 5)];
        refererHashes = new long[referers.length];
        fillReferers(pools);
        phrases = new String[Math.max(500, rows / 25)];
        for (int i = 0; i < phrases.length; i++) {
            phrases[i] = phrase(pools, i);
        }
        int userCount = Math.max(1_000, rows / 8);
        users = new long[userCount];
        userIp = new int[userCount];
        userRegion = new int[userCount];
        userResolution = new short[userCount];
        userPhone = new short[userCount];
        userModel = new byte[userCount];
        fillUsers(pools);

        watchId = new long[rows];
        eventSeconds = new int[rows];
        counter = new int[rows];
        clientIp = new int[rows];
        user = new int[rows];
        url = new int[rows];
        title = new int[rows];
        referer = new int[rows];
        phrase = new int[rows];
        flags = new byte[rows];
        traffic = new byte[rows];
        searchEngine = new byte[rows];
        advEngine = new byte[rows];
        windowWidth = new short[rows];
        windowHeight = new short[rows];
        SplittableRandom r = new SplittableRandom(seed * 31 + 17);
        for (int i = 0; i < rows; i++) {
            fillRow(r, i);
        }
    }

    public int rows() {
        return rows;
    }

    /** {@code CREATE TABLE hits (...)} with ClickBench's types for the 25 columns. */
    public static String createTableSql() {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(TABLE).append(" (");
        for (int c = 0; c < COLUMNS.size(); c++) {
            sb.append(c == 0 ? "" : ", ").append(COLUMNS.get(c)).append(' ').append(TYPES.get(c));
        }
        return sb.append(')').toString();
    }

    /**
     * Cell {@code (row, column)} (column an index into {@link #COLUMNS}) as River's row API takes it:
     * BIGINT Long, INTEGER and SMALLINT Integer, TEXT String (never null), TIMESTAMP Instant, DATE LocalDate.
     */
    public Object value(int row, int column) {
        switch (column) {
            case 0:
                return watchId[row];
            case 1:
                return title[row] < 0 ? "" : titles[title[row]];
            case 2:
                return Instant.ofEpochSecond(JULY_1_SECONDS + eventSeconds[row]);
            case 3:
                return JULY_1.plusDays(eventSeconds[row] / 86_400);
            case 4:
                return counter[row];
            case 5:
                return clientIp[row];
            case 6:
                return userRegion[user[row]];
            case 7:
                return users[user[row]];
            case 8:
                return url[row] < 0 ? "" : urls[url[row]];
            case 9:
                return referer[row] < 0 ? "" : referers[referer[row]];
            case 10:
                return flags[row] & 1;
            case 11:
                return (int) userResolution[user[row]];
            case 12:
                return (int) userPhone[user[row]];
            case 13:
                return userPhone[user[row]] == 0 ? "" : MODELS[userModel[user[row]]];
            case 14:
                return (int) traffic[row];
            case 15:
                return (int) searchEngine[row];
            case 16:
                return phrase[row] < 0 ? "" : phrases[phrase[row]];
            case 17:
                return (int) advEngine[row];
            case 18:
                return (int) windowWidth[row];
            case 19:
                return (int) windowHeight[row];
            case 20:
                return (flags[row] >> 1) & 1;
            case 21:
                return (flags[row] >> 2) & 1;
            case 22:
                return (flags[row] >> 3) & 1;
            case 23:
                return referer[row] < 0 ? hash("") : refererHashes[referer[row]];
            case 24:
                return url[row] < 0 ? hash("") : urlHashes[url[row]];
            default:
                throw new IndexOutOfBoundsException("column " + column);
        }
    }

    // ---------------------------------------------------------------- pools

    /** URL 0 is counter 62's home page, the one with {@link #HOT_URL_HASH}; a title per URL (a few say Google). */
    private void fillUrls(SplittableRandom r) {
        for (int i = 0; i < urls.length; i++) {
            String host = host(r);
            String scheme = r.nextInt(4) == 0 ? "https" : "http";
            String path = i == 0 ? "" : WORDS[r.nextInt(WORDS.length)] + "/" + i + (r.nextInt(3) == 0 ? ".html" : "");
            String query = r.nextInt(10) == 0 ? "?q=" + WORDS[r.nextInt(WORDS.length)] : "";
            urls[i] = scheme + "://" + host + "/" + path + query;
            urlHashes[i] = i == 0 ? HOT_URL_HASH : hash(urls[i]);
            String word = WORDS[r.nextInt(WORDS.length)];
            titles[i] = r.nextInt(25) == 0
                    ? "Google " + word + " " + i
                    : Character.toUpperCase(word.charAt(0)) + word.substring(1) + " — " + WORDS[r.nextInt(WORDS.length)]
                            + " " + (i % 997);
        }
    }

    /**
     * Referers: index 0 the bare search page with {@link #HOT_REFERER_HASH}; the first half searches on
     * yandex.ru, the second half pages of other sites (a few without a path, which the query 29
     * pattern does not match).
     */
    private void fillReferers(SplittableRandom r) {
        int half = referers.length / 2;
        for (int i = 0; i < referers.length; i++) {
            String ref;
            if (i == 0) {
                ref = "https://yandex.ru/";
            } else if (i < half) {
                ref = (r.nextInt(3) == 0 ? "http" : "https") + "://" + (r.nextBoolean() ? "www." : "")
                        + "yandex.ru/yandsearch?text=" + WORDS[r.nextInt(WORDS.length)] + "&lr=" + i;
            } else if (r.nextInt(50) == 0) {
                ref = "http://" + host(r);
            } else {
                ref = (r.nextInt(4) == 0 ? "https" : "http") + "://" + host(r) + "/" + WORDS[r.nextInt(WORDS.length)]
                        + "/" + i;
            }
            referers[i] = ref;
            refererHashes[i] = i == 0 ? HOT_REFERER_HASH : hash(ref);
        }
    }

    private static String host(SplittableRandom r) {
        int k = zipf(r, 400);
        if (k < NAMED_HOSTS.length) {
            return NAMED_HOSTS[k];
        }
        return (r.nextInt(3) == 0 ? "www." : "") + "site" + k + (k % 3 == 0 ? ".com" : ".ru");
    }

    private static String phrase(SplittableRandom r, int i) {
        int words = 1 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[zipf(r, WORDS.length)]);
        }
        return i < WORDS.length * 4 ? sb.toString() : sb.append(' ').append(i).toString();
    }

    /** Users: ids, and what stays the same for a user (IP, region, screen, phone); user 3 is {@link #HOT_USER}. */
    private void fillUsers(SplittableRandom r) {
        for (int u = 0; u < users.length; u++) {
            users[u] = u == 3 ? HOT_USER : mix(u * 0x9E3779B97F4A7C15L + 11) & Long.MAX_VALUE;
            userIp[u] = (int) (mix(u + 0x51L) & 0x7fffffffL) | 0x100;
            userRegion[u] = r.nextInt(4) == 0 ? 229 : 1 + zipf(r, 4_000);
            userResolution[u] = (short) RESOLUTIONS[zipf(r, RESOLUTIONS.length)];
            boolean mobile = r.nextInt(10) == 0;
            userPhone[u] = (short) (mobile ? 1 + zipf(r, 60) : 0);
            userModel[u] = (byte) zipf(r, MODELS.length);
        }
    }

    // ---------------------------------------------------------------- rows

    private void fillRow(SplittableRandom r, int i) {
        user[i] = zipf(r, users.length);
        int day = r.nextInt(31);
        if (isWeekend(day) && r.nextInt(3) == 0) {
            day = r.nextInt(31); // fewer visits at weekends
        }
        eventSeconds[i] = day * 86_400 + daySecond(r);
        counter[i] = r.nextInt(100) < 55 ? HOT_COUNTER : 1 + zipf(r, 5_000);
        boolean dup = i > 0 && r.nextInt(50) == 0; // a hit sent twice: same WatchID and IP
        int prev = dup ? i - 1 - r.nextInt(Math.min(i, 1_000)) : -1;
        watchId[i] = dup ? watchId[prev] : mix(i * 0x632BE59BD9B4E019L + 5) & Long.MAX_VALUE;
        clientIp[i] = dup ? clientIp[prev] : r.nextInt(8) == 0 ? r.nextInt(0x7fff_0000) + 0x1000 : userIp[user[i]];
        url[i] = r.nextInt(100) == 0 ? -1 : counter[i] == HOT_COUNTER && r.nextInt(100) < 35 ? 0 : zipf(r, urls.length);
        title[i] = url[i] < 0 || r.nextInt(20) == 0 ? -1 : url[i];
        int ref = r.nextInt(100);
        int half = referers.length / 2;
        referer[i] = ref < 25
                ? -1
                : ref < 28 ? 0 : ref < 80 ? 1 + zipf(r, half - 1) : half + zipf(r, referers.length - half);
        phrase[i] = r.nextInt(100) < 80 ? -1 : zipf(r, phrases.length);
        searchEngine[i] = (byte) (phrase[i] < 0 ? 0 : 1 + zipf(r, 30));
        advEngine[i] = (byte) (r.nextInt(100) < 94 ? 0 : new int[] {2, 3, 13, 27, 4, 52}[zipf(r, 6)]);
        traffic[i] = (byte) weighted(r, TRAFFIC);
        int res = userResolution[user[i]];
        boolean fullScreen = res > 0 && r.nextInt(10) < 4;
        windowWidth[i] = (short) (fullScreen ? res - 17 : r.nextInt(2_560));
        windowHeight[i] = (short) (fullScreen ? 900 + r.nextInt(4) * 40 : r.nextInt(1_440));
        int f = 0;
        f |= r.nextInt(100) < 8 ? 1 : 0;
        f |= r.nextInt(100) < 6 ? 2 : 0;
        f |= r.nextInt(100) < 2 ? 4 : 0;
        f |= r.nextInt(100) < 4 ? 8 : 0;
        flags[i] = (byte) f;
    }

    private static boolean isWeekend(int day) {
        int dow = JULY_1.plusDays(day).getDayOfWeek().getValue();
        return dow >= 6;
    }

    /** A second of the day, more in the day than at night. */
    private static int daySecond(SplittableRandom r) {
        while (true) {
            int s = r.nextInt(86_400);
            double hour = s / 3600.0;
            double weight = 0.55 - 0.45 * Math.cos((hour - 3) / 24 * 2 * Math.PI);
            if (r.nextDouble() < weight) {
                return s;
            }
        }
    }

    /** A rank in [0, n): log-uniform, so rank 0 is the most frequent and frequency falls like 1/rank. */
    static int zipf(SplittableRandom r, int n) {
        int k = (int) Math.exp(r.nextDouble() * Math.log(n + 1.0)) - 1;
        return Math.max(0, Math.min(n - 1, k));
    }

    private static int weighted(SplittableRandom r, int[][] table) {
        int x = r.nextInt(100);
        for (int[] e : table) {
            x -= e[1];
            if (x < 0) {
                return e[0];
            }
        }
        return 7 + r.nextInt(3);
    }

    /** A 64-bit hash of a string's UTF-8 bytes (FNV-1a, then mixed). */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
