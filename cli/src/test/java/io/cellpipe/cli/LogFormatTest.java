package io.cellpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellpipe.core.alert.AlertKind;
import io.cellpipe.core.alert.Alerts;
import io.cellpipe.core.alert.LogAlertSink;
import io.cellpipe.core.config.LoggingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code logging.format: json} switches the console log to one JSON object per line, and back. */
class LogFormatTest {
    private static final Logger log = LoggerFactory.getLogger("io.cellpipe.test");

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheFieldsALogPipelineNeeds() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogFormat.apply(new LoggingConfig(LoggingConfig.Format.JSON));
            log.info("cell {} streaming from {}", "cell-1", "0/16B3748");
            log.warn("cell-2: \"quoted\" and\nmultiline", new IllegalStateException("boom"));
            new Alerts().addSink(new LogAlertSink()).raise(AlertKind.CELL_UNREACHABLE, "cell-3", "cell cell-3 cannot be captured");
            LogFormat.apply(new LoggingConfig(LoggingConfig.Format.TEXT));
            log.info("back to text");
        } finally {
            LogFormat.apply(new LoggingConfig(LoggingConfig.Format.TEXT));
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(4);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines.subList(0, 3)) {
            events.add(new ObjectMapper().readTree(line));
        }
        JsonNode info = events.get(0);
        assertThat(info.path("level").asText()).isEqualTo("INFO");
        assertThat(info.path("loggerName").asText()).isEqualTo("io.cellpipe.test");
        assertThat(info.path("formattedMessage").asText()).isEqualTo("cell cell-1 streaming from 0/16B3748");
        assertThat(info.path("timestamp").asLong()).isPositive();
        assertThat(info.path("threadName").asText()).isNotEmpty();

        JsonNode warning = events.get(1);
        assertThat(warning.path("level").asText()).isEqualTo("WARN");
        assertThat(warning.path("formattedMessage").asText()).isEqualTo("cell-2: \"quoted\" and\nmultiline");
        assertThat(warning.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(warning.path("throwable").path("message").asText()).isEqualTo("boom");

        JsonNode alert = events.get(2);
        assertThat(alert.path("level").asText()).isEqualTo("ERROR");
        assertThat(alert.path("loggerName").asText()).isEqualTo("io.cellpipe.alerts");
        assertThat(alert.path("formattedMessage").asText()).startsWith("ALERT cell_unreachable [critical, cell-3]");
        assertThat(alert.path("kvpList").toString()).contains("\"alert\":\"cell_unreachable\"").contains("\"cell\":\"cell-3\"");

        assertThat(lines.get(3)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.*] test - back to text");
    }
}
