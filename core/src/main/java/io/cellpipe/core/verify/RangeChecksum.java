package io.cellpipe.core.verify;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;

/** The live rows of one key range: how many, and the sum of their row hashes. */
public record RangeChecksum(long rows, BigInteger hashSum) {
    public static final RangeChecksum EMPTY = new RangeChecksum(0, BigInteger.ZERO);

    public RangeChecksum {
        requireNonNull(hashSum, "hashSum is null");
    }
}
