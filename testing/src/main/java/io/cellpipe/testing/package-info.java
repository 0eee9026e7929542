/**
 * Real PostgreSQL for tests and the demo: {@link io.cellpipe.testing.EmbeddedCell} starts a server (a cell) from
 * zonky's embedded binaries, {@link io.cellpipe.testing.DemoSchema} creates a GitLab-like schema in it, and
 * {@link io.cellpipe.testing.Workload} writes a seeded, reproducible mix of changes to that schema.
 */
package io.cellpipe.testing;
