package io.cellpipe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} alone says yes for a zombie, and zombies stay around
 * where PID 1 is not an init that reaps orphans (some containers and micro-VMs): a killed postmaster becomes one.
 */
final class ProcessLiveness {
    private ProcessLiveness() {
    }

    static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && !isZombie(process.pid());
    }

    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name, which is in parentheses and may itself contain ") ".
            int endOfName = stat.lastIndexOf(')');
            return endOfName > 0 && endOfName + 2 < stat.length() && stat.charAt(endOfName + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
