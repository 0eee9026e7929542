package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code check} warns when rows would cross a network unencrypted or to an unverified server. */
class TransportCheckTest {
    @Test
    void warnsForAnUnencryptedOrUnverifiedRemoteCell() {
        CheckResult clear = CellCheck.transport(false, null, "db.internal");
        assertThat(clear.outcome()).isEqualTo(CheckResult.Outcome.WARN);
        assertThat(clear.detail()).contains("not encrypted");
        assertThat(clear.fix()).contains("sslmode=verify-full").contains("sslrootcert");

        CheckResult unverified = CellCheck.transport(true, "require", "db.internal");
        assertThat(unverified.outcome()).isEqualTo(CheckResult.Outcome.WARN);
        assertThat(unverified.detail()).contains("not verified").contains("sslmode=require");
        assertThat(CellCheck.transport(true, null, "db.internal").detail()).contains("sslmode=prefer");

        assertThat(CellCheck.transport(true, "verify-full", "db.internal").outcome()).isEqualTo(CheckResult.Outcome.PASS);
        assertThat(CellCheck.transport(false, null, "db.internal,127.0.0.1").outcome()).isEqualTo(CheckResult.Outcome.WARN);
    }

    @Test
    void aCellOnThisMachinePasses() {
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]", "/var/run/postgresql"}) {
            assertThat(CellCheck.transport(false, null, host).outcome()).as(host).isEqualTo(CheckResult.Outcome.PASS);
        }
    }

    @Test
    void keyLiteralsCannotEndTheirQuotes() {
        assertThat(ChunkQuery.literal("a'b")).isEqualTo("E'a''b'");
        assertThat(ChunkQuery.literal("c\\'; DROP TABLE t; --")).isEqualTo("E'c\\\\''; DROP TABLE t; --'");
    }
}
