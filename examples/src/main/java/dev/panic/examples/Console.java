package dev.panic.examples;

import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Where the commands read and write: edits from in, results to out, problems to err; an in-place
 * status line on terminals.
 */
final class Console {
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private int statusWidth;

    Console(InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** What the user types (standard input). */
    InputStream in() {
        return in;
    }

    /**
     * The same streams with no transient status line, for commands that read what the user types
     * while they print (a status line would be overwritten by the echo of the typing).
     */
    Console withoutStatus() {
        return new Console(in, out, err, false);
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
