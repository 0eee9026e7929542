package io.cellpipe.cli;

import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.core.pipeline.Pipeline;
import io.cellpipe.core.spi.Destination;
import io.cellpipe.core.spi.Resync;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Runs the captures of the cells that have resyncs until those resyncs end, then drains and stops. */
final class LocalResync {
    private LocalResync() {
    }

    static int run(PipelineConfig config, Destination destination, List<Resync> requests, PrintWriter out, Duration timeout)
            throws InterruptedException {
        Set<String> cells = new LinkedHashSet<>();
        requests.forEach(request -> cells.add(request.cellId()));
        try (Pipeline pipeline = new Pipeline(destination, config.capture())) {
            pipeline.start(config.cells().stream().filter(cell -> cells.contains(cell.id())).map(cell -> Assembly.source(config, cell)).toList());
            int result = new ResyncWatch(out).await(requests, destination::resyncs, timeout);
            pipeline.stop(Duration.ofSeconds(60));
            return result;
        }
    }
}
