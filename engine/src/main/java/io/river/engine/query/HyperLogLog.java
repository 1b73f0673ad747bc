package io.river.engine.query;

/**
 * Distinct-count sketch: exact (a set of 64-bit hashes) up to {@value #SPARSE_LIMIT} distinct
 * hashes, then a dense HyperLogLog with 2^14 one-byte registers (standard error ~0.8%), with
 * linear counting for small cardinalities (Flajolet et al. 2007; Heule et al. 2013). Hashes must
 * be well mixed in every bit. Not thread-safe.
 */
final class HyperLogLog {
    static final int P = 14;
    static final int M = 1 << P;
    static final int SPARSE_LIMIT = 2048;

    private LongHashSet sparse = new LongHashSet();
    private byte[] registers;

    void add(long hash) {
        if (registers == null) {
            sparse.add(hash);
            if (sparse.size() > SPARSE_LIMIT) {
                toDense();
            }
            return;
        }
        addDense(hash);
    }

    private void addDense(long hash) {
        int idx = (int) (hash >>> (64 - P));
        long w = (hash << P) | (1L << (P - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(w) + 1);
        if (registers[idx] < rank) {
            registers[idx] = rank;
        }
    }

    private void toDense() {
        registers = new byte[M];
        sparse.forEach(this::addDense);
        sparse = null;
    }

    void merge(HyperLogLog other) {
        if (other.registers == null) {
            other.sparse.forEach(this::add);
            return;
        }
        if (registers == null) {
            toDense();
        }
        for (int i = 0; i < M; i++) {
            if (registers[i] < other.registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    long estimate() {
        if (registers == null) {
            return sparse.size();
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / M);
        double e = alpha * M * (double) M / sum;
        if (e <= 2.5 * M && zeros > 0) {
            e = M * Math.log((double) M / zeros);
        }
        return Math.round(e);
    }
}
