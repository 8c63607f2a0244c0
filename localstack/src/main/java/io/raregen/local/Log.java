package io.raregen.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The launcher's own lines, prefixed like the children's so the terminal reads as one log. */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public synchronized void info(String msg) {
        out.println(LocalTime.now().format(TIME) + " [local] " + msg);
        out.flush();
    }

    public synchronized void raw(String line) {
        out.println(line);
        out.flush();
    }
}
