package io.cellpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeBufferTest {
    private static final TableSchema USERS = new TableSchema(new TableId("public", "users"), List.of(
            new Column("id", ColumnType.of(ColumnKind.INT64, "bigint"), true),
            new Column("bio", ColumnType.of(ColumnKind.TEXT, "text"), false)));

    @Test
    void spillsPastItsBudgetAndReadsBackInOrder(@TempDir Path spill) throws Exception {
        try (ChangeBuffer buffer = new ChangeBuffer(spill, 10_000)) {
            for (int i = 0; i < 5_000; i++) {
                buffer.add(Change.insert(USERS, RowImage.of(String.valueOf(i), i % 7 == 0 ? null : "bio ü " + i)));
            }
            buffer.add(Change.update(USERS, null, new RowImage(new String[] {"1", null}, new boolean[] {false, true})));
            buffer.add(Change.delete(USERS, RowImage.of("2", null)));
            assertThat(buffer.spilled()).isTrue();
            assertThat(buffer.memoryBytes()).isZero();
            assertThat(buffer.size()).isEqualTo(5_002);
            assertThat(buffer.operationCounts()).isEqualTo(java.util.Map.of(USERS.id(),
                    java.util.Map.of(Operation.INSERT, 5_000L, Operation.UPDATE, 1L, Operation.DELETE, 1L)));

            for (int pass = 0; pass < 2; pass++) {
                List<Change> read = new ArrayList<>();
                buffer.forEach(read::add);
                assertThat(read).hasSize(5_002);
                assertThat(read.get(14).after().value(1)).isNull();
                assertThat(read.get(15).after().value(1)).isEqualTo("bio ü 15");
                assertThat(read.get(5_000).after().isUnchangedToast(1)).isTrue();
                assertThat(read.get(5_001).op()).isEqualTo(Operation.DELETE);
                assertThat(read.get(5_001).table()).isSameAs(USERS);
            }
        }
        try (var files = Files.list(spill)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void discardsTheChangesOfAnAbortedSubtransaction(@TempDir Path spill) {
        for (long budget : new long[] {Long.MAX_VALUE, 100}) {
            try (ChangeBuffer buffer = new ChangeBuffer(spill, budget)) {
                buffer.add(Change.insert(USERS, RowImage.of("1", "a")), 10);
                buffer.add(Change.insert(USERS, RowImage.of("2", "b")), 11);
                buffer.add(Change.insert(USERS, RowImage.of("3", "c")), 10);
                buffer.discard(11);
                List<String> ids = new ArrayList<>();
                buffer.forEach(change -> ids.add(change.after().value(0)));
                assertThat(ids).containsExactly("1", "3");
                assertThat(buffer.size()).isEqualTo(2);
                assertThat(buffer.operationCounts().get(USERS.id())).containsExactly(java.util.Map.entry(Operation.INSERT, 2L));
            }
        }
    }
}
