package io.cellpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    @Test
    void scrubsPasswordsFromUrlsAndSettings() {
        assertThat(Credentials.scrub("Unable to parse URL jdbc:postgresql://h:5432/db?user=u&password=p%ss&ssl=true"))
                .isEqualTo("Unable to parse URL jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
        assertThat(Credentials.scrub("postgresql://user:s3cret@host/db")).isEqualTo("postgresql://user:***@host/db");
        assertThat(Credentials.scrub("{\"text\":\"url ...?sslpassword=k3y\"}")).isEqualTo("{\"text\":\"url ...?sslpassword=***\"}");
        assertThat(Credentials.scrub("PASSWORD=x y")).isEqualTo("PASSWORD=*** y");
        assertThat(Credentials.scrub("nothing to hide")).isEqualTo("nothing to hide");
        assertThat(Credentials.scrub(null)).isNull();
    }

    @Test
    void aScrubbedErrorKeepsItsChainAndStackWithoutTheSecret() {
        Exception error = new IllegalStateException("connect failed", new RuntimeException("bad url ?password=hunter2"));
        Throwable scrubbed = Credentials.scrubbed(error);
        assertThat(scrubbed.getMessage()).contains("IllegalStateException: connect failed");
        assertThat(scrubbed.getCause().getMessage()).contains("password=***").doesNotContain("hunter2");
        assertThat(scrubbed.getStackTrace()).isEqualTo(error.getStackTrace());
    }
}
