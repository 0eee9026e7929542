package io.cellpipe.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellpipe.core.model.Lsn;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PgoutputDecoderTest {
    private final PgoutputDecoder decoder = new PgoutputDecoder();

    /** Builds a message the way the walsender writes it (big-endian, NUL-terminated strings). */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Message tag(char tag) throws IOException {
            out.writeByte(tag);
            return this;
        }

        Message i8(int value) throws IOException {
            out.writeByte(value);
            return this;
        }

        Message i16(int value) throws IOException {
            out.writeShort(value);
            return this;
        }

        Message i32(int value) throws IOException {
            out.writeInt(value);
            return this;
        }

        Message i64(long value) throws IOException {
            out.writeLong(value);
            return this;
        }

        Message string(String value) throws IOException {
            out.write(value.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
            return this;
        }

        Message text(String value) throws IOException {
            byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
            out.writeByte('t');
            out.writeInt(encoded.length);
            out.write(encoded);
            return this;
        }

        ByteBuffer buffer() {
            byte[] array = bytes.toByteArray();
            // Like PgJDBC, hand over a slice of a larger array.
            byte[] padded = new byte[array.length + 7];
            System.arraycopy(array, 0, padded, 3, array.length);
            return ByteBuffer.wrap(padded, 3, array.length).slice();
        }
    }

    @Test
    void decodesBeginAndCommit() throws IOException {
        var begin = (PgoutputMessage.Begin) decoder.decode(new Message().tag('B').i64(0x100L).i64(1_000_000L).i32(-5).buffer());
        assertThat(begin.finalLsn()).isEqualTo(new Lsn(0x100));
        assertThat(begin.commitTime()).isEqualTo(Instant.parse("2000-01-01T00:00:01Z"));
        assertThat(begin.xid()).isEqualTo(0xFFFFFFFBL);
        var commit = (PgoutputMessage.Commit) decoder.decode(new Message().tag('C').i8(0).i64(0x100).i64(0x128).i64(-1).buffer());
        assertThat(commit.endLsn()).isEqualTo(new Lsn(0x128));
        assertThat(commit.commitTime()).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void decodesRelationAndTuplesWithNullAndUnchangedToast() throws IOException {
        var relation = (PgoutputMessage.Relation) decoder.decode(new Message().tag('R').i32(16384).string("public").string("users").i8('d')
                .i16(3).i8(1).string("id").i32(20).i32(-1).i8(0).string("bio").i32(25).i32(-1).i8(0).string("name").i32(25).i32(-1)
                .buffer());
        assertThat(relation.namespace()).isEqualTo("public");
        assertThat(relation.columns()).extracting(PgoutputMessage.RelationColumn::identity).containsExactly(true, false, false);

        var update = (PgoutputMessage.Update) decoder.decode(new Message().tag('U').i32(16384).tag('K').i16(3).text("7").tag('n').tag('n')
                .tag('N').i16(3).text("8").tag('u').text("Zoë").buffer());
        assertThat(update.before().value(0)).isEqualTo("7");
        assertThat(update.after().value(0)).isEqualTo("8");
        assertThat(update.after().isUnchangedToast(1)).isTrue();
        assertThat(update.after().value(2)).isEqualTo("Zoë");

        var delete = (PgoutputMessage.Delete) decoder.decode(new Message().tag('D').i32(16384).tag('K').i16(3).text("8").tag('n').tag('n')
                .buffer());
        assertThat(delete.before().value(0)).isEqualTo("8");
        assertThat(delete.before().value(1)).isNull();
    }

    @Test
    void readsTheSubtransactionIdOnlyInsideAStreamBlock() throws IOException {
        var start = (PgoutputMessage.StreamStart) decoder.decode(new Message().tag('S').i32(900).i8(1).buffer());
        assertThat(start.firstSegment()).isTrue();
        var insert = (PgoutputMessage.Insert) decoder.decode(new Message().tag('I').i32(901).i32(16384).tag('N').i16(1).text("1").buffer());
        assertThat(insert.xid()).isEqualTo(901);
        assertThat(decoder.decode(new Message().tag('E').buffer())).isInstanceOf(PgoutputMessage.StreamStop.class);
        var plain = (PgoutputMessage.Insert) decoder.decode(new Message().tag('I').i32(16384).tag('N').i16(1).text("2").buffer());
        assertThat(plain.xid()).isZero();
        var abort = (PgoutputMessage.StreamAbort) decoder.decode(new Message().tag('A').i32(900).i32(901).buffer());
        assertThat(abort.subXid()).isEqualTo(901);
        var commit = (PgoutputMessage.StreamCommit) decoder.decode(new Message().tag('c').i32(900).i8(0).i64(10).i64(20).i64(0).buffer());
        assertThat(commit.endLsn()).isEqualTo(new Lsn(20));
    }

    @Test
    void decodesTruncateAndMessages() throws IOException {
        var truncate = (PgoutputMessage.Truncate) decoder.decode(new Message().tag('T').i32(2).i8(3).i32(1).i32(2).buffer());
        assertThat(truncate.relationIds()).containsExactly(1, 2);
        assertThat(truncate.cascade()).isTrue();
        assertThat(truncate.restartIdentity()).isTrue();
        var message = (PgoutputMessage.Message) decoder.decode(new Message().tag('M').i8(0).i64(77).string("cellpipe_heartbeat").i32(2)
                .i8('h').i8('i').buffer());
        assertThat(message.transactional()).isFalse();
        assertThat(message.prefix()).isEqualTo("cellpipe_heartbeat");
        assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(decoder.decode(new Message().tag('O').i64(1).string("origin").buffer())).isInstanceOf(PgoutputMessage.Ignored.class);
    }
}
