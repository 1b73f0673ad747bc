package io.river.engine.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyHashTest {
    /** Expected values computed with lz4-java's XXHash64 (seed 0), the reference port. */
    @Test
    void matchesReferenceXxh64() {
        assertEquals(0xEF46DB3751D8E999L, KeyHash.of(""));
        assertEquals(0xD24EC4F1A98C6E5BL, KeyHash.of("a"));
        assertEquals(0x44BC2CF5AD770999L, KeyHash.of("abc"));
        assertEquals(0x1EC850103D53C662L, KeyHash.of("hello world, this is more than thirty-two bytes long!"));
        assertEquals(0x0CF73DAABEFD7374L, KeyHash.of("key-0000123"));
        assertEquals(0x73C8239723A6E4CAL, KeyHash.of("ünïcödé ключ 鍵"));
    }
}
