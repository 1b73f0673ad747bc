package io.river.examples;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^s}: the
 * long-tailed skew of real traffic, where a few cities and a few heavy users account for much of
 * it. Precomputes the cumulative distribution once ({@code n} doubles) and samples by binary
 * search. Immutable and thread-safe; the caller brings the random source.
 */
final class Zipf {
    private final double[] cdf;

    Zipf(int n, double s) {
        if (n < 1 || s <= 0) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and s > 0, got n=" + n + ", s=" + s);
        }
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
    }

    int size() {
        return cdf.length;
    }

    /** The probability of rank {@code i}. */
    double probability(int i) {
        return i == 0 ? cdf[0] : cdf[i] - cdf[i - 1];
    }

    int next(SplittableRandom random) {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        int rank = i >= 0 ? i : -i - 1;
        return Math.min(rank, cdf.length - 1);
    }
}
