package io.cellpipe.core.alert;

/** How urgent an alert is: a warning can wait for working hours, a critical alert cannot. */
public enum Severity {
    WARNING,
    CRITICAL
}
