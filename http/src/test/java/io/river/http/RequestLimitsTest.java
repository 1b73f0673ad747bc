package io.river.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
    @Test
    void utf8LengthIsTheLengthOfTheEncodedKey() {
        String[] keys = {
            "",
            "user0000000042",
            "clé",
            "ключ",
            "鍵",
            "emoji 😀 key",
            "\uD83D",
            "a\uDE00b",
            "\uD83D\uD83D\uDE00",
            "\u07FF\u0800"
        };
        for (String key : keys) {
            assertEquals(key.getBytes(StandardCharsets.UTF_8).length, RequestLimits.utf8Length(key), key);
        }
    }
}
