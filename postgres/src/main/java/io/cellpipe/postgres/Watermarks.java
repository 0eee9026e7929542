package io.cellpipe.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The low and high watermarks around a resync chunk's read (DBLog): logical messages written into
 * the cell's WAL with {@code pg_logical_emit_message}.
 *
 * <p>They are <em>non-transactional</em> messages: PostgreSQL decodes such a message at its own WAL
 * position, so the stream shows it after every transaction that committed before it and before every
 * transaction that commits after it, which is exactly the order the chunk's read must be placed in.
 * (A transactional message would only appear at its transaction's commit.) A non-transactional message
 * does not flush the WAL, so the high watermark is followed by the commit of a transaction with an xid,
 * which does: the stream then shows the high watermark at once instead of at the WAL writer's next flush.
 */
final class Watermarks {
    static final String PREFIX = "cellpipe_watermark";

    enum Kind {
        LOW,
        HIGH
    }

    /** A decoded watermark: which slot's resync wrote it, and for which chunk. */
    record Mark(String slot, String chunkId, Kind kind) {
        static Mark parse(byte[] content) {
            String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
            String[] parts = text.split("/", -1);
            if (parts.length != 3) {
                return null;
            }
            Kind kind = switch (parts[2]) {
                case "low" -> Kind.LOW;
                case "high" -> Kind.HIGH;
                default -> null;
            };
            return kind == null ? null : new Mark(parts[0], parts[1], kind);
        }
    }

    private Watermarks() {
    }

    /** On an auto-commit connection. */
    static void low(Connection connection, String slot, String chunkId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(emit(slot, chunkId, "low"));
        }
    }

    /** On an auto-commit connection; the WAL is flushed past the watermark when this returns. */
    static void high(Connection connection, String slot, String chunkId) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(emit(slot, chunkId, "high"));
            statement.execute("SELECT pg_catalog.txid_current()");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static String emit(String slot, String chunkId, String kind) {
        String content = (slot + "/" + chunkId + "/" + kind).replace("'", "''");
        return "SELECT pg_catalog.pg_logical_emit_message(false, '" + PREFIX + "', '" + content + "')";
    }
}
