package io.cellpipe.cli;

import io.cellpipe.core.config.CellConfig;
import io.cellpipe.core.config.ConfigLoader;
import io.cellpipe.core.config.PipelineConfig;
import io.cellpipe.postgres.CellCheck;
import io.cellpipe.postgres.CheckResult;
import io.cellpipe.postgres.PreflightReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Checks every cell for what capture needs, without changing anything; exit 1 if any check fails. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check every cell for what capture needs (wal_level, slots, privileges, replica identity, publication).")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Pipeline configuration (YAML).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        PipelineConfig pipelineConfig = new ConfigLoader(System::getenv).load(config);
        LogFormat.apply(pipelineConfig.logging());
        PrintWriter out = spec.commandLine().getOut();
        List<PreflightReport> reports = check(pipelineConfig);
        TextTable table = new TextTable("CELL", "CHECK", "RESULT", "DETAIL", "FIX");
        for (PreflightReport report : reports) {
            for (CheckResult result : report.results()) {
                table.add(report.cellId(), result.check(), result.outcome().name().toLowerCase(Locale.ROOT), result.detail(), result.fix());
            }
        }
        table.print(out);
        long failedCells = reports.stream().filter(PreflightReport::failed).count();
        long warnings = reports.stream().mapToLong(report -> report.count(CheckResult.Outcome.WARN)).sum();
        long failures = reports.stream().mapToLong(report -> report.count(CheckResult.Outcome.FAIL)).sum();
        out.println("check: " + reports.size() + " cells, " + failures + " failed checks in " + failedCells + " cells, "
                + warnings + " warnings" + (failedCells == 0 ? ": ready to capture" : ": fix the failed checks before capture can start"));
        return failedCells == 0 ? 0 : 1;
    }

    /** Checks the cells in parallel (an unreachable cell waits for its connect timeout), reported in configuration order. */
    private static List<PreflightReport> check(PipelineConfig config) throws InterruptedException, ExecutionException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PreflightReport>> futures = new ArrayList<>();
            for (CellConfig cell : config.cells()) {
                futures.add(executor.submit(() -> new CellCheck(cell, config.pipeline(), config.tables()).run()));
            }
            List<PreflightReport> reports = new ArrayList<>();
            for (Future<PreflightReport> future : futures) {
                reports.add(future.get());
            }
            return reports;
        }
    }
}
