package dev.panic.examples;

import java.io.InputStream;
import java.io.PrintWriter;

/**
 * Where the commands read and write: edits from in, results to out, problems to err; on terminals,
 * a status line under the results that says what is going on now. Every line printed goes above the
 * status line, which is drawn again after it, so a line never wipes the status of a call still at work.
 */
final class Console {
    /** Columns the status line may take: it must not wrap, or a carriage return could not redraw it. */
    private static final int WIDTH = columns();

    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private String status = "";
    private int shown;

    Console(PrintWriter out, PrintWriter err, boolean interactive) {
        this(InputStream.nullInputStream(), out, err, interactive);
    }

    Console(InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    boolean interactive() {
        return interactive;
    }

    /** What the user types (standard input). */
    InputStream in() {
        return in;
    }

    /**
     * The same streams with no status line, for commands that read what the user types while they
     * print (a status line would be overwritten by the echo of the typing).
     */
    Console withoutStatus() {
        return new Console(in, out, err, false);
    }

    synchronized void line(String s) {
        erase();
        out.println(s);
        draw();
    }

    /** What the status line says from now on (empty for none); terminals only. */
    synchronized void status(String s) {
        if (!interactive) {
            return;
        }
        String next = s == null ? "" : fit(s);
        if (next.equals(status) && shown > 0) {
            return;
        }
        erase();
        status = next;
        draw();
    }

    synchronized void error(String s) {
        erase();
        out.flush();
        err.println("panic: " + s);
        err.flush();
        draw();
    }

    private void erase() {
        if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
    }

    private void draw() {
        if (interactive && !status.isEmpty()) {
            out.print(status);
            shown = status.length();
        }
        out.flush();
    }

    private static String fit(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= WIDTH ? one : one.substring(0, WIDTH - 1) + "…";
    }

    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return Math.max(20, c - 1);
        } catch (NumberFormatException e) {
            return 79;
        }
    }
}
