package io.cellpipe.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyBucketsTest {
    @Test
    void splitsTheKeySpaceIntoRangesOfAboutTheWantedRows() {
        KeyBuckets buckets = KeyBuckets.over("id", 1, 1_000_000, 1_000_000, 100_000);
        assertThat(buckets.count()).isEqualTo(10);
        assertThat(buckets.width()).isEqualTo(100_000);
        assertThat(buckets.predicate(0)).isEqualTo("\"id\" >= 1 AND \"id\" < 100001");
        assertThat(buckets.upper(9)).isGreaterThan(1_000_000);
        assertThat(buckets.bucketExpression("//")).isEqualTo("((\"id\" - (1)) // 100000)");
    }

    @Test
    void aTinyOrEmptyKeySpaceIsOneRange() {
        KeyBuckets buckets = KeyBuckets.over("id", 5, 5, 1, 100_000);
        assertThat(buckets.count()).isEqualTo(1);
        assertThat(buckets.predicate(0)).isEqualTo("\"id\" >= 5 AND \"id\" < 6");
        assertThat(KeyBuckets.over("id", -10, 10, 0, 100).count()).isEqualTo(1);
    }
}
