package io.river.engine.query;

/** Well-mixed 64-bit hashes of single values of any vector kind (for sketches and sets). Stateless. */
final class ValueHashes {
    private ValueHashes() {}

    static long hash(Vec v, int i) {
        if (v instanceof Vec.LongVec) {
            return Hashing.mix(((Vec.LongVec) v).values[i] ^ 0x5bd1e995L);
        } else if (v instanceof Vec.DoubleVec) {
            return Hashing.mix(Hashing.doubleKey(((Vec.DoubleVec) v).values[i]) ^ 0x5bd1e995L);
        } else if (v instanceof Vec.BoolVec) {
            return Hashing.mix(((Vec.BoolVec) v).values[i] ? 2 : 1);
        }
        Vec.BytesVec b = (Vec.BytesVec) v;
        b.load(i);
        return Hashing.bytes(b.buf, b.off, b.len);
    }

    /** The value as a long set member: integers and timestamps as is, doubles as canonical bits, booleans 0/1. */
    static long longKey(Vec v, int i) {
        if (v instanceof Vec.LongVec) {
            return ((Vec.LongVec) v).values[i];
        } else if (v instanceof Vec.DoubleVec) {
            return Hashing.doubleKey(((Vec.DoubleVec) v).values[i]);
        }
        return ((Vec.BoolVec) v).values[i] ? 1 : 0;
    }
}
