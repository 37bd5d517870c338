package dev.panic.examples;

import java.io.PrintWriter;

/** Where the commands write: results to out, problems to err; an in-place status line on terminals. */
final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private int statusWidth;

    Console(PrintWriter out, PrintWriter err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    synchronized void line(String s) {
        clearStatus();
        out.println(s);
        out.flush();
    }

    /** A transient line (e.g. "calling sim:painter…") that the next line overwrites; terminals only. */
    synchronized void status(String s) {
        if (!interactive) {
            return;
        }
        clearStatus();
        out.print(s);
        out.flush();
        statusWidth = s.length();
    }

    synchronized void error(String s) {
        clearStatus();
        err.println("panic: " + s);
        err.flush();
    }

    private void clearStatus() {
        if (statusWidth > 0) {
            out.print("\r" + " ".repeat(statusWidth) + "\r");
            statusWidth = 0;
        }
    }
}
